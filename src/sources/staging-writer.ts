/**
 * The staging writer, run in a worker thread by Staging: inserts the staged lines the reading thread sends in
 * batches, so the inserts and their commits (a third of reading a national release on one thread) run beside
 * the parsing of the files. Messages are handled in order; the last, `finish`, commits and answers.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import type { StagingWrite } from './staging.js';

const { path } = workerData as { path: string };
const db = new Database(path);
db.pragma('journal_mode = OFF');
db.pragma('synchronous = OFF');
// Bounded: the pages are written out at each commit (the import's peak RSS counts every thread's memory).
db.pragma('cache_size = -32768');
db.exec(
  'CREATE TABLE line (person TEXT NOT NULL, src INTEGER NOT NULL, n INTEGER NOT NULL, text TEXT NOT NULL)',
);
const insert = db.prepare('INSERT INTO line (person, src, n, text) VALUES (?, ?, ?, ?)');
const drop = db.prepare('DELETE FROM line WHERE src = ?');
let pending = 0;
db.exec('BEGIN');

function handle(m: StagingWrite): void {
  switch (m.op) {
    case 'add': {
      // Lines and ids never hold a newline: they come joined by one (one string to copy between threads).
      const persons = m.persons.split('\n');
      const texts = m.texts.split('\n');
      for (let i = 0; i < m.src.length; i++) {
        insert.run(persons[i], m.src[i], m.n[i], texts[i]);
      }
      pending += m.src.length;
      // Commit now and then so the page cache does not hold the whole table.
      if (pending >= 200_000) {
        db.exec('COMMIT; BEGIN');
        pending = 0;
      }
      return;
    }
    case 'drop':
      drop.run(m.src);
      return;
    case 'finish':
      db.exec('COMMIT');
      db.close();
      return;
  }
}

parentPort!.on('message', (m: StagingWrite) => {
  try {
    handle(m);
    // Each message is answered: the reading thread keeps a bounded number in flight.
    parentPort!.postMessage({ ok: true });
    if (m.op === 'finish') {
      parentPort!.close();
    }
  } catch (e) {
    parentPort!.postMessage({ ok: false, message: e instanceof Error ? e.message : String(e) });
  }
});
