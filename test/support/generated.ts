/**
 * A generated dataset of a day, and its import into a store, as several end-to-end tests need them (the same
 * calls the `generate` and `import` commands make).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ProgressBar } from '../../src/cli/progress.js';
import { generate } from '../../src/generate/generate.js';
import { composeSystem } from '../../src/main.js';
import { importRelease } from '../../src/reconcile/import-release.js';
import { openInputs } from '../../src/sources/input/open-inputs.js';
import type { Store } from '../../src/store/store.js';

export const quiet = (): ProgressBar => ({ update: () => undefined, stop: () => undefined });

/** Generates the files of `day` under `root/day<day>` (scale 0.001 unless told); returns their paths. */
export async function generateDay(root: string, day: number, seed: number, scale = 0.001): Promise<string[]> {
  const out = join(root, `day${day}`);
  await generate({ out, scale, seed, day, nomenclatures: composeSystem().nomenclatures(), progress: quiet });
  return readdirSync(out).map((f) => join(out, f));
}

/** Imports files into a store as one release. */
export async function importFiles(store: Store, paths: readonly string[], source: string): Promise<void> {
  const inputs = await openInputs(paths);
  try {
    await importRelease({
      store,
      nomenclatures: composeSystem().nomenclatures(),
      files: inputs.files,
      source,
    });
  } finally {
    inputs.close();
  }
}

/** Generates the files of `day` and imports them as the release `day <day>`. */
export async function importGeneratedDay(
  store: Store,
  root: string,
  day: number,
  seed: number,
): Promise<void> {
  await importFiles(store, await generateDay(root, day, seed), `day ${day}`);
}
