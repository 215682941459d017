/**
 * The staging reader, run in a worker thread by Staging.chunks(): sorts the staged lines by person (SQLite's
 * sorter) and sends them back a chunk of persons at a time, each with the hash of its lines, one chunk ahead of
 * the import that consumes them, so the sort, the reading and the hashing run beside the building of resources.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { personHash, type HashedLine } from './person-hash.js';
import type { StagedChunk, StagingReaderInput } from './staging.js';

const input = workerData as StagingReaderInput;
const db = new Database(input.path, { readonly: true });
db.pragma(`cache_size = -${input.cacheKib}`);
// Sorting millions of lines: let SQLite use a helper thread.
db.pragma('threads = 2');
type Row = [person: string, src: number, line: number, text: string];
const rows = db
  .prepare('SELECT person, src, n, text FROM line ORDER BY person, src, n')
  .raw()
  .iterate() as IterableIterator<Row>;
const read = (): Row | undefined => {
  const r = rows.next();
  return r.done ? undefined : r.value;
};
/** The first row of the person that opens the next chunk. */
let carried: Row | undefined;

function nextChunk(): StagedChunk {
  const chunk: StagedChunk = { persons: [], hashes: [], counts: [], src: [], line: [], text: [] };
  let person: string | undefined;
  let lines: HashedLine[] = [];
  const finish = (): void => {
    chunk.persons.push(person!);
    chunk.hashes.push(personHash(input.seed, lines, input.kindOf));
    chunk.counts.push(lines.length);
    for (const l of lines) {
      chunk.src.push(l.src);
      chunk.line.push(l.line);
      chunk.text.push(l.text);
    }
  };
  for (let row = carried ?? read(); row !== undefined; row = read()) {
    carried = undefined;
    const [p, src, line, text] = row;
    if (p !== person) {
      if (person !== undefined) {
        finish();
        if (chunk.persons.length === input.size) {
          carried = row;
          return chunk;
        }
      }
      person = p;
      lines = [];
    }
    lines.push({ src, line, text });
  }
  if (person !== undefined) {
    finish();
  }
  return chunk;
}

parentPort!.on('message', () => {
  try {
    parentPort!.postMessage({ ok: true, chunk: nextChunk() });
  } catch (e) {
    parentPort!.postMessage({ ok: false, message: e instanceof Error ? e.message : String(e) });
  }
});
