/** Opens a connection with the settings every connection of the store uses. */
import Database from 'better-sqlite3';

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
