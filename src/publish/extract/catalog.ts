/**
 * The files of an extractions folder as the download service offers them: each published extract and delta
 * (names.ts) with its release date, size and SHA-256. A file is offered once its checksum file is beside it
 * (published-file.ts writes the checksum first, then renames the file into place): temporary files, files
 * without a checksum and unknown names are never offered.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { checksumName, isUndatedName, parseExtractionName, type ExtractionName } from './names.js';

export interface CatalogEntry extends ExtractionName {
  readonly path: string;
  /** The release date the name carries (ISO 8601, UTC, to the minute). */
  readonly date: string;
  readonly size: number;
  /** When the file was written (for Last-Modified). */
  readonly modified: Date;
  readonly sha256: string;
  readonly delta: boolean;
}

const isoOfStamp = (s: string): string =>
  `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(8, 10)}:${s.slice(10, 12)}:00Z`;

/** Newest first: by stamp, then (deltas) by the stamp they start from. */
const newestFirst = (a: ExtractionName, b: ExtractionName): number =>
  a.stamp !== b.stamp ? (a.stamp < b.stamp ? 1 : -1) : (a.from ?? '') < (b.from ?? '') ? 1 : -1;

async function entry(dir: string, name: ExtractionName): Promise<CatalogEntry | undefined> {
  const path = join(dir, name.name);
  try {
    const [info, sum] = await Promise.all([stat(path), readFile(join(dir, checksumName(name.name)), 'utf8')]);
    const sha256 = /^([0-9a-f]{64})\b/.exec(sum)?.[1];
    if (!info.isFile() || sha256 === undefined) {
      return undefined;
    }
    return {
      ...name,
      path,
      date: isoOfStamp(name.stamp),
      size: info.size,
      modified: info.mtime,
      sha256,
      delta: name.from !== undefined,
    };
  } catch (e) {
    // Gone since the folder was listed, or no checksum (yet): not offered.
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw e;
  }
}

/** Every file offered, grouped by undated name, newest first. A missing folder offers nothing. */
export async function listExtractions(dir: string): Promise<CatalogEntry[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      return [];
    }
    throw e;
  }
  const parsed = names.map(parseExtractionName).filter((n): n is ExtractionName => n !== undefined);
  parsed.sort((a, b) => (a.undated !== b.undated ? (a.undated < b.undated ? -1 : 1) : newestFirst(a, b)));
  const entries = await Promise.all(parsed.map((n) => entry(dir, n)));
  return entries.filter((e): e is CatalogEntry => e !== undefined);
}

/**
 * The file a name asks for: a dated name, that file; an undated one (`PS_LibreAcces.zip`), the newest of its
 * kind. Undefined when there is none, or the name is not one of the folder's names (nothing else is ever
 * looked up, so no name can reach outside the folder).
 */
export async function findExtraction(dir: string, name: string): Promise<CatalogEntry | undefined> {
  const dated = parseExtractionName(name);
  if (dated) {
    return entry(dir, dated);
  }
  if (!isUndatedName(name)) {
    return undefined;
  }
  return (await listExtractions(dir)).find((e) => e.undated === name);
}
