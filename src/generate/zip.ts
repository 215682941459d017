/**
 * Writing generated text files: lines are batched into ~256 KiB buffers pulled by the consumer (a zip entry
 * or a file), so generation never runs ahead of compression and disk (backpressure), and memory stays flat.
 */
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';

export interface LineSource {
  /** The file's lines, each already terminated. */
  readonly lines: () => Iterable<string>;
  /** Text to bytes (UTF-8 unless the format says otherwise). */
  readonly encode?: (text: string) => Buffer;
}

export interface WrittenEntry {
  readonly name: string;
  lines: number;
  bytes: number;
}

const BATCH_CHARS = 256 * 1024;

/** Yields `source`'s lines as encoded buffers, counting them into `entry`. */
export function* batches(source: LineSource, entry: WrittenEntry): Generator<Buffer> {
  const encode = source.encode ?? ((s: string) => Buffer.from(s, 'utf8'));
  let parts: string[] = [];
  let size = 0;
  for (const line of source.lines()) {
    parts.push(line);
    size += line.length;
    entry.lines++;
    if (size >= BATCH_CHARS) {
      const buf = encode(parts.join(''));
      entry.bytes += buf.length;
      yield buf;
      parts = [];
      size = 0;
    }
  }
  if (parts.length > 0) {
    const buf = encode(parts.join(''));
    entry.bytes += buf.length;
    yield buf;
  }
}

/**
 * The DOS timestamp of a zip entry, written in local-time fields by yazl: built from local components so the
 * bytes do not depend on the machine's time zone.
 */
export const zipTime = (utc: Date): Date =>
  new Date(utc.getUTCFullYear(), utc.getUTCMonth(), utc.getUTCDate(), utc.getUTCHours(), utc.getUTCMinutes());

/** Writes a zip of `entries` to `path`, entry after entry; returns each entry's line and byte counts. */
export async function writeZip(
  path: string,
  mtime: Date,
  entries: readonly (LineSource & { readonly name: string })[],
): Promise<{ entries: WrittenEntry[]; size: number }> {
  const zip = new yazl.ZipFile();
  const written: WrittenEntry[] = [];
  for (const source of entries) {
    const entry: WrittenEntry = { name: source.name, lines: 0, bytes: 0 };
    written.push(entry);
    zip.addReadStream(Readable.from(batches(source, entry), { objectMode: false }), source.name, {
      mtime: zipTime(mtime),
      forceDosTimestamp: true,
      compressionLevel: 6,
    });
  }
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(path));
  return { entries: written, size: (await stat(path)).size };
}

/** Writes `source` to a plain file. */
export async function writeText(
  path: string,
  name: string,
  source: LineSource,
): Promise<{ entry: WrittenEntry; size: number }> {
  const entry: WrittenEntry = { name, lines: 0, bytes: 0 };
  await pipeline(Readable.from(batches(source, entry), { objectMode: false }), createWriteStream(path));
  return { entry, size: (await stat(path)).size };
}
