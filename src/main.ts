/**
 * The composition root: the only place where the system's parts are built and wired. Everything else receives
 * what it needs as arguments; there is no module state.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ParameterTable } from './fhir/search/parameter-table.js';
import { ApiKeyResolver } from './http/api-access.js';
import type { AppOptions } from './http/app.js';
import { codeSystemId, isCodeSystem, toCodeSystem } from './nomenclature/code-system.js';
import { runCli } from './cli/cli.js';
import type { CliContext, ServeSettings } from './cli/context.js';
import { createIndexer } from './fhir/search/indexer.js';
import { SEARCH_PARAMETERS } from './fhir/search/search-parameters.js';
import { tuneHeapForBulkWork } from './heap-tuning.js';
import { loadNomenclatures } from './nomenclature/load.js';
import type { Nomenclatures } from './nomenclature/nomenclatures.js';
import { BulkExporter } from './publish/export/bulk-exporter.js';
import { openStore } from './store/open.js';
import type { Store } from './store/store.js';

/** The package's data folder (vendored NOS tables), found from this file in src/ or dist/src/. */
export const DATA_DIR = fileURLToPath(
  new URL(import.meta.url.includes('/dist/') ? '../../data/' : '../data/', import.meta.url),
);

export interface System {
  readonly openStore: (url: string) => Promise<Store>;
  readonly nomenclatures: () => Nomenclatures;
  readonly http: (store: Store, settings?: ServeSettings) => Omit<AppOptions, 'logger' | 'rateLimits'>;
}

/** The package's version, shown in the CapabilityStatement. */
const VERSION = (JSON.parse(readFileSync(`${DATA_DIR}../package.json`, 'utf8')) as { version: string })
  .version;

const RESTRICTED_CLASSIFIER = {
  url: new URL('./fhir/perimeter.js', import.meta.url).href,
  name: 'mayHoldRestricted',
} as const;

export function composeSystem(): System {
  const indexer = createIndexer(SEARCH_PARAMETERS);
  const params = new ParameterTable(SEARCH_PARAMETERS);
  let nomenclatures: Nomenclatures | undefined;
  const loaded = (): Nomenclatures => (nomenclatures ??= loadNomenclatures(`${DATA_DIR}nos`));
  return {
    // Every version written is classified by the perimeter's test, its answer stored with it: a public bulk
    // export then cuts the flagged versions only, without testing every text (store/sql/classifier.ts).
    openStore: (url) => openStore(url, indexer, RESTRICTED_CLASSIFIER),
    nomenclatures: loaded,
    http: (store, settings = {}) => {
      const keys = new ApiKeyResolver(store);
      const { exportDir, historyRetentionDays } = settings;
      return {
        fhir: {
          store,
          params,
          codeSystems: new Map(
            [...loaded().tables()].filter(isCodeSystem).map((t) => [codeSystemId(t), toCodeSystem(t)]),
          ),
          ...(historyRetentionDays !== undefined ? { historyRetentionDays } : {}),
          bulkExport: exportDir !== undefined,
        },
        version: VERSION,
        accessOf: (request) => keys.accessOf(request),
        ...(exportDir !== undefined ? { bulkExport: new BulkExporter({ store, dir: exportDir }) } : {}),
      };
    },
  };
}

export async function main(argv: readonly string[]): Promise<number> {
  tuneHeapForBulkWork();
  const system = composeSystem();
  const ctx: CliContext = {
    io: {
      out: (t) => process.stdout.write(t),
      err: (t) => process.stderr.write(t),
      isTTY: Boolean(process.stderr.isTTY),
    },
    env: process.env,
    ...system,
  };
  return runCli(argv, ctx);
}
