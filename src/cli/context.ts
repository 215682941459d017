/**
 * What a command receives from the composition root (src/main.ts): the environment's settings and factories
 * for the system's parts. Commands never open an engine themselves.
 */
import type { Nomenclatures } from '../nomenclature/nomenclatures.js';
import type { Store } from '../store/store.js';
import type { AppOptions } from '../http/app.js';
import type { CliIo } from './io.js';

export interface CliContext {
  readonly io: CliIo;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly openStore: (url: string) => Promise<Store>;
  readonly nomenclatures: () => Nomenclatures;
  /** What the HTTP application needs to serve a store (all but the logging choice and the rate limits). */
  readonly http: (store: Store) => Omit<AppOptions, 'logger' | 'rateLimits'>;
}

export type Command = (args: readonly string[], ctx: CliContext) => Promise<void>;
