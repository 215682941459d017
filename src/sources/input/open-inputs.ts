/**
 * The command line's FILE arguments as source files: a zip gives its entries, any other path is one file.
 */
import { stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { invalid } from '../../error.js';
import type { SourceFile } from './source-file.js';
import { zipEntries } from './zip-entries.js';

export interface OpenedInputs {
  readonly files: readonly SourceFile[];
  /** The paths given, with their size: what the release records (checksums are computed while reading). */
  readonly paths: readonly string[];
  close(): void;
}

export async function openInputs(paths: readonly string[]): Promise<OpenedInputs> {
  const files: SourceFile[] = [];
  const closers: (() => void)[] = [];
  try {
    for (const path of paths) {
      const info = await stat(path).catch(() => undefined);
      if (!info?.isFile()) {
        throw invalid(`${path}: no such file`, path);
      }
      if (path.toLowerCase().endsWith('.zip')) {
        const zip = await zipEntries(path);
        closers.push(zip.close);
        files.push(...zip.files);
      } else {
        files.push({
          name: basename(path),
          location: path,
          size: info.size,
          open: () => Promise.resolve(createReadStream(path, { highWaterMark: 1 << 20 })),
        });
      }
    }
  } catch (e) {
    closers.forEach((c) => c());
    throw e;
  }
  return { files, paths, close: () => closers.forEach((c) => c()) };
}
