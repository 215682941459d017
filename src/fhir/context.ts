/** What the FHIR interactions need, built once by the composition root. */
import type { Store } from '../store/store.js';
import type { CodeSystemResource } from '../nomenclature/code-system.js';
import type { ParameterTable } from './search/parameter-table.js';

export interface FhirContext {
  readonly store: Store;
  readonly params: ParameterTable;
  /** The NOS tables as CodeSystem resources, by id. */
  readonly codeSystems: ReadonlyMap<string, CodeSystemResource>;
  /**
   * How far back `_history?_since=` reaches, in days (`serve --history-retention-days`); for ever without.
   * Versions are never purged: this is the promise the change feed makes to its clients.
   */
  readonly historyRetentionDays?: number;
  /** Whether the CapabilityStatement lists $export (the server serves it). */
  readonly bulkExport?: boolean;
}

/** Per request: the base URL links are written with, and the handling of unknown parameters. */
export interface RequestOptions {
  readonly base: string;
  /** `Prefer: handling=strict`. */
  readonly strict: boolean;
}
