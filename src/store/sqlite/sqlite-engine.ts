/**
 * The embedded engine: SQLite through better-sqlite3, in WAL mode so readers never block the writer and a
 * killed process leaves the last committed release intact (https://sqlite.org/wal.html).
 *
 * Two connections: the writer holds the release transaction; the reader sees committed releases only, so a
 * server in the same process never serves a half-written release.
 */
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { AnnuaireError } from '../../error.js';
import type { SqlEngine, WriteSession } from '../sql/engine.js';
import { SqliteRunner } from './sqlite-runner.js';
import { appliedMigrations, latestSchemaVersion, migrate } from '../sql/migrator.js';
import type { Dialect } from '../sql/schema.js';
import { SqliteWriteSession } from './sqlite-write-session.js';

const dialect: Dialect = {
  text: 'TEXT',
  bigint: 'INTEGER',
  clustered: ' WITHOUT ROWID',
  vidColumn: 'vid INTEGER PRIMARY KEY',
};

/** How long a second writer waits for the first before failing. */
const BUSY_TIMEOUT_MS = 5_000;

export class SqliteEngine implements SqlEngine {
  readonly name = 'sqlite';
  readonly latestSchemaVersion = latestSchemaVersion(dialect);
  readonly reader: SqliteRunner;
  readonly #writer: SqliteRunner;
  #writing = false;

  constructor(readonly location: string) {
    mkdirSync(dirname(location), { recursive: true });
    const writer = open(location);
    // Bulk loads: a large page cache and temp structures in memory; NORMAL sync is durable in WAL mode
    // against a process crash, which is what the kill test checks.
    writer.pragma('cache_size = -262144');
    writer.pragma('temp_store = MEMORY');
    this.#writer = new SqliteRunner(writer);
    const reader = open(location);
    reader.pragma('query_only = ON');
    this.reader = new SqliteRunner(reader);
  }

  async migrate(): Promise<{ from: number; to: number }> {
    const db = this.#kysely();
    try {
      return await migrate(db, dialect);
    } finally {
      await db.destroy();
    }
  }

  async schemaVersion(): Promise<number> {
    const db = this.#kysely();
    try {
      return await appliedMigrations(db);
    } finally {
      await db.destroy();
    }
  }

  beginWrite(): Promise<WriteSession> {
    if (this.#writing) {
      return Promise.reject(
        new AnnuaireError(409, 'conflict', 'a release is already being written by this process'),
      );
    }
    try {
      this.#writer.db.exec('BEGIN IMMEDIATE');
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_BUSY') {
        return Promise.reject(
          new AnnuaireError(
            409,
            'conflict',
            `another process is writing a release to ${this.location}; try again when it ends`,
          ),
        );
      }
      throw e;
    }
    this.#writing = true;
    return Promise.resolve(
      new SqliteWriteSession(this.#writer, () => {
        this.#writing = false;
      }),
    );
  }

  close(): Promise<void> {
    this.reader.db.close();
    this.#writer.db.close();
    return Promise.resolve();
  }

  /** A Kysely instance on a connection of its own (destroying it closes that connection only). */
  #kysely(): Kysely<unknown> {
    return new Kysely<unknown>({ dialect: new SqliteDialect({ database: open(this.location) }) });
  }
}

function open(location: string): Database.Database {
  const db = new Database(location, { timeout: BUSY_TIMEOUT_MS });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  return db;
}
