/**
 * The embedded engine: SQLite through better-sqlite3, in WAL mode so readers never block the writer and a
 * killed process leaves the last committed release intact (https://sqlite.org/wal.html).
 *
 * Two connections: the writer, in a worker thread (write-worker.ts), holds the release transaction; the reader
 * sees committed releases only, so a server in the same process never serves a half-written release.
 */
import { Kysely, SqliteDialect } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { AnnuaireError } from '../../error.js';
import type { SqlEngine, WriteSession } from '../sql/engine.js';
import { SqliteRunner } from './sqlite-runner.js';
import { checkedPath } from '../sql/json-path.js';
import { appliedMigrations, latestSchemaVersion, migrate } from '../sql/migrator.js';
import { documentKinds, type Dialect } from '../sql/schema.js';
import { openConnection, workerSafe } from './sqlite-connection.js';
import { InProcessWriteSession } from './in-process-write-session.js';
import { WorkerWriteSession, WriteWorker } from './worker-write-session.js';
import type { Classify, ClassifierRef } from '../sql/classifier.js';

const dialect: Dialect = {
  text: 'TEXT',
  bigint: 'INTEGER',
  clustered: ' WITHOUT ROWID',
  vidColumn: 'vid INTEGER PRIMARY KEY',
  documents: true,
};

/** The reader's page cache, in KiB. */
const READER_CACHE_KIB = 65_536;

function inProcessWriter(location: string): SqliteRunner {
  const connection = openConnection(location);
  connection.pragma('cache_size = -262144');
  connection.pragma('temp_store = MEMORY');
  return new SqliteRunner(connection);
}

export class SqliteEngine implements SqlEngine {
  readonly name = 'sqlite';
  readonly latestSchemaVersion = latestSchemaVersion(dialect);
  readonly documentKinds = documentKinds(dialect);
  readonly reader: SqliteRunner;
  /** Started on the first release: a store that only reads never starts it. */
  #writer: WriteWorker | undefined;
  /** The writer connection on this thread, where a worker is unsafe (see in-process-write-session.ts). */
  #inProcess: SqliteRunner | undefined;
  readonly #workerSafe = workerSafe();
  #writing = false;
  /** The connection of small writes outside releases (writeOne), opened on the first. */
  #small: SqliteRunner | undefined;

  constructor(
    readonly location: string,
    /** The classifier of versions (classifier.ts): its module for the worker, loaded for this thread. */
    private readonly classifier?: { readonly ref: ClassifierRef; readonly classify: Classify },
  ) {
    mkdirSync(dirname(location), { recursive: true });
    const reader = openConnection(location);
    reader.pragma('query_only = ON');
    // Searches seek all over the index tables and the versions they check: with SQLite's default cache (2 MiB)
    // each seek re-reads its pages from the OS, several times slower (measured: a chain through 2,073
    // organizations, 9 ms → 5 ms). Bounded, so the server's memory stays bounded too.
    reader.pragma(`cache_size = -${READER_CACHE_KIB}`);
    this.reader = new SqliteRunner(reader);
  }

  /** better-sqlite3 returns a BLOB as a Buffer of the stored bytes: no UTF-8 decoding. */
  readonly jsonBytes = 'CAST(json AS BLOB)';

  jsonText(path: readonly (string | number)[]): string {
    const at = checkedPath(path)
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
      .join('');
    return `coalesce(json_extract(v.json, '$${at}'), '')`;
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

  async beginWrite(): Promise<WriteSession> {
    if (this.#writing) {
      throw new AnnuaireError(409, 'conflict', 'a release is already being written by this process');
    }
    this.#writing = true;
    const done = (): void => {
      this.#writing = false;
    };
    try {
      if (!this.#workerSafe) {
        this.#inProcess ??= inProcessWriter(this.location);
        return new InProcessWriteSession(this.#inProcess, done, this.classifier?.classify);
      }
      this.#writer ??= new WriteWorker(this.location, this.classifier?.ref);
      await this.#writer.call('begin');
    } catch (e) {
      done();
      if ((e as { code?: string }).code === 'SQLITE_BUSY') {
        throw new AnnuaireError(
          409,
          'conflict',
          `another process is writing a release to ${this.location}; try again when it ends`,
        );
      }
      throw e;
    }
    return new WorkerWriteSession(this.#writer, done);
  }

  writeOne(sql: string, params: readonly unknown[] = []): Promise<number> {
    this.#small ??= new SqliteRunner(openConnection(this.location));
    try {
      return this.#small.run(sql, params);
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_BUSY') {
        throw new AnnuaireError(
          409,
          'conflict',
          `a release is being written to ${this.location}; try again when it ends`,
        );
      }
      throw e;
    }
  }

  async close(): Promise<void> {
    this.#small?.db.close();
    this.reader.db.close();
    this.#inProcess?.db.close();
    await this.#writer?.close();
  }

  /** A Kysely instance on a connection of its own (destroying it closes that connection only). */
  #kysely(): Kysely<unknown> {
    return new Kysely<unknown>({ dialect: new SqliteDialect({ database: openConnection(this.location) }) });
  }
}
