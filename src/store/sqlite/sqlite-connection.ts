/** Opens a connection with the settings every connection of the store uses. */
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** How long a second writer waits for the first before failing. */
export const BUSY_TIMEOUT_MS = 5_000;

export function openConnection(location: string): Database.Database {
  const db = new Database(location, { timeout: BUSY_TIMEOUT_MS });
  // Takes effect only when the file is created: 16 KiB pages hold more index keys per page (fewer splits).
  db.pragma('page_size = 16384');
  // WAL: readers never block the writer, and a killed process leaves the last commit intact.
  // https://sqlite.org/wal.html
  db.pragma('journal_mode = WAL');
  // NORMAL is durable in WAL mode against a process crash (what the kill test checks); a power cut may lose
  // the last commits but never corrupts the file.
  db.pragma('synchronous = NORMAL');
  return db;
}

/**
 * Whether the driver may run in a worker thread. better-sqlite3 12 (the last release that supports Node 20)
 * aborts on Node ≥ 24 when a worker's environment is torn down; 13 (Node-API, Node ≥ 22) does not.
 * https://github.com/WiseLibs/better-sqlite3/pull/1477
 */
export function workerSafe(): boolean {
  const node = Number(process.versions.node.split('.')[0]);
  if (node < 24) {
    return true;
  }
  // The driver's package.json is not in its exports: read it beside its entry point.
  const entry = createRequire(import.meta.url).resolve('better-sqlite3');
  const { version } = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  return Number(version.split('.')[0]) >= 13;
}
