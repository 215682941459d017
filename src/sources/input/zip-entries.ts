/**
 * The entries of a zip, as source files, with yauzl (reads the central directory, then streams each entry;
 * a truncated or corrupt archive fails with a clear message instead of importing part of a file).
 * https://github.com/thejoshwolfe/yauzl
 */
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { invalid } from '../../error.js';
import type { SourceFile } from './source-file.js';

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true }, (err, zip) => {
      if (err) {
        reject(invalid(`${path} is not a readable zip archive: ${err.message}`, path));
      } else {
        resolve(zip);
      }
    });
  });
}

function listEntries(zip: yauzl.ZipFile, path: string): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: yauzl.Entry[] = [];
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.push(entry);
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', (err: Error) =>
      reject(invalid(`${path} is a corrupt zip archive: ${err.message}`, path)),
    );
    zip.readEntry();
  });
}

/** The file entries of a zip (folders skipped). The archive stays open until `close()`. */
export async function zipEntries(path: string): Promise<{ files: SourceFile[]; close: () => void }> {
  const zip = await openZip(path);
  const entries = await listEntries(zip, path);
  const files = entries
    .filter((e) => !e.fileName.endsWith('/'))
    .map((entry): SourceFile => {
      const name = entry.fileName.split('/').pop()!;
      const location = `${path}!${entry.fileName}`;
      return {
        name,
        location,
        size: entry.uncompressedSize,
        open: () =>
          new Promise<Readable>((resolve, reject) => {
            zip.openReadStream(entry, (err, stream) => {
              if (err) {
                reject(invalid(`cannot read ${location}: ${err.message}`, location));
              } else {
                resolve(stream);
              }
            });
          }),
      };
    });
  return { files, close: () => zip.close() };
}
