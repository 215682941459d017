/**
 * What a command receives from the composition root (src/main.ts): the environment's settings and factories
 * for the system's parts. Commands never open an engine themselves.
 */
import type { Nomenclatures } from '../nomenclature/nomenclatures.js';
import type { Store } from '../store/store.js';
import type { AppOptions } from '../http/app.js';
import type { CliIo } from './io.js';

/** What `annuaire serve` sets beside the store (its options). */
export interface ServeSettings {
  /** The $export jobs directory; $export is not served without. */
  readonly exportDir?: string;
  /** How far back _history?_since reaches, in days; for ever without. */
  readonly historyRetentionDays?: number;
}

export interface CliContext {
  readonly io: CliIo;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly openStore: (url: string) => Promise<Store>;
  readonly nomenclatures: () => Nomenclatures;
  /** What the HTTP application needs to serve a store (all but the logging choice and the rate limits). */
  readonly http: (store: Store, settings?: ServeSettings) => Omit<AppOptions, 'logger' | 'rateLimits'>;
}

export type Command = (args: readonly string[], ctx: CliContext) => Promise<void>;
