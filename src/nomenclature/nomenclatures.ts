/**
 * The set of NOS tables, looked up by name or canonical URL. Built once by the composition root and passed on;
 * there is no global registry.
 */
import type { CodedValue } from '../domain/coded-value.js';
import type { RecordWarning } from '../domain/warning.js';
import type { NosTable } from './nos-table.js';

/** A code resolved against its table: what a FHIR Coding needs, plus whether it was found and is in use. */
export interface ResolvedCode {
  readonly system: string;
  readonly code: string;
  /** The table's display; for an unknown code, the display the source carried (if any). */
  readonly display?: string;
  readonly known: boolean;
  readonly active: boolean;
}

export class Nomenclatures {
  readonly #byName = new Map<string, NosTable>();
  readonly #byUrl = new Map<string, NosTable>();

  constructor(tables: readonly NosTable[]) {
    for (const t of tables) {
      this.#byName.set(t.info.name, t);
      this.#byUrl.set(t.info.url, t);
    }
  }

  tables(): IterableIterator<NosTable> {
    return this.#byName.values();
  }

  table(name: string): NosTable | undefined {
    return this.#byName.get(name);
  }

  byUrl(url: string): NosTable | undefined {
    return this.#byUrl.get(url);
  }

  /**
   * Resolves a coded value. An unknown code (or table) is kept with the source's display and flagged, never
   * dropped: the warning says what was not found.
   */
  resolve(value: CodedValue, on?: string): { resolved: ResolvedCode; warning?: RecordWarning } {
    const table = this.#byName.get(value.table);
    const system = table?.info.url ?? `https://mos.esante.gouv.fr/NOS/${value.table}`;
    const base = { system, code: value.code };
    const fromSource = value.sourceDisplay ? { display: value.sourceDisplay } : {};
    if (!table) {
      return {
        resolved: { ...base, ...fromSource, known: false, active: true },
        warning: {
          code: 'unknown-table',
          field: value.table,
          message: `NOS table ${value.table} is not vendored`,
        },
      };
    }
    const found = table.lookup(value.code, on);
    if (!found.known) {
      return {
        resolved: { ...base, ...fromSource, known: false, active: true },
        warning: {
          code: 'unknown-code',
          field: value.table,
          message: `code "${value.code}" is not in ${value.table}`,
        },
      };
    }
    return { resolved: { ...base, display: found.display, known: true, active: found.active } };
  }
}
