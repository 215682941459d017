/**
 * Publishing a file atomically: it is written under a temporary name in the same folder, its SHA-256 is
 * computed as it is written, then the checksum file (`NAME.sha256`, in `sha256sum` format) and the file are
 * renamed into place, the checksum first. A rename within a folder is atomic (POSIX rename(2)), so a download
 * service listing the folder never sees a half-written file, nor a file without its checksum.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { checksumName } from './names.js';

export interface PublishedFile {
  readonly name: string;
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
}

const temporary = (dir: string, name: string): string => join(dir, `.${name}.${process.pid}.tmp`);

/** Writes `content` as `dir/name`, atomically, with its checksum file. */
export async function publishStream(dir: string, name: string, content: Readable): Promise<PublishedFile> {
  const path = join(dir, name);
  const tmp = temporary(dir, name);
  const hash = createHash('sha256');
  try {
    await pipeline(
      content,
      new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          done(null, chunk);
        },
      }),
      createWriteStream(tmp),
    );
    const sha256 = hash.digest('hex');
    const sumTmp = temporary(dir, checksumName(name));
    await writeFile(sumTmp, `${sha256}  ${name}\n`);
    await rename(sumTmp, join(dir, checksumName(name)));
    await rename(tmp, path);
    return { name, path, size: (await stat(path)).size, sha256 };
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** Publishes an existing file (written elsewhere in the same folder) under `name`. */
export const publishFile = (dir: string, name: string, from: string): Promise<PublishedFile> =>
  publishStream(dir, name, createReadStream(from));
