/**
 * Deltas between consecutive extracts: when the folder `annuaire extract` writes into already holds an earlier
 * extract of a kind, the changes from the newest earlier one to the new one are published beside them, in the
 * format of `annuaire diff` (publish/diff/format.ts), named after the two releases they span:
 * `PS_LibreAcces_delta_OLDSTAMP_NEWSTAMP.csv`.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { diffExtracts } from '../diff/diff-extracts.js';
import { CSV_HEADER, formatChange, type DiffFormat } from '../diff/format.js';
import { deltaName, EXTRACT_KINDS, extractName, parseExtractionName } from './names.js';
import { publishFile, type PublishedFile } from './published-file.js';

export type DeltaFormat = DiffFormat;

/** Characters of changes buffered before they are written. */
const CHUNK = 64 * 1024;

export interface DeltaOptions {
  readonly dir: string;
  /** A folder for the file being written (in `dir`'s file system, so publishing it is a rename). */
  readonly work: string;
  /** The stamp of the extract just written. */
  readonly stamp: string;
  readonly format: DeltaFormat;
}

export async function writeDeltas(options: DeltaOptions): Promise<PublishedFile[]> {
  const names = (await readdir(options.dir)).map(parseExtractionName);
  const deltas: PublishedFile[] = [];
  for (const kind of EXTRACT_KINDS) {
    const previous = names
      .filter((n) => n !== undefined && n.kind === kind && n.from === undefined && n.extension === 'zip')
      .map((n) => n!.stamp)
      .filter((s) => s < options.stamp)
      .sort()
      .at(-1);
    if (previous === undefined) {
      continue;
    }
    const name = deltaName(kind, previous, options.stamp, options.format);
    const path = join(options.work, name);
    const fd = openSync(path, 'w');
    try {
      // diff calls back synchronously: changes are buffered and written in chunks, so memory stays flat.
      let buffer = options.format === 'csv' ? CSV_HEADER : '';
      await diffExtracts({
        oldPath: join(options.dir, extractName(kind, previous)),
        newPath: join(options.dir, extractName(kind, options.stamp)),
        tmp: options.work,
        onChange: (change) => {
          buffer += formatChange(change, options.format);
          if (buffer.length >= CHUNK) {
            writeSync(fd, buffer);
            buffer = '';
          }
        },
      });
      writeSync(fd, buffer);
    } finally {
      closeSync(fd);
    }
    deltas.push(await publishFile(options.dir, name, path));
  }
  return deltas;
}
