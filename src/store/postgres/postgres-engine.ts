/**
 * The production engine: PostgreSQL through node-postgres. Readers use a pool; a release holds one client for
 * its transaction and an advisory lock, so only one release is written at a time across all processes.
 *
 * URL: postgres://user@host:port/db[?schema=name]. `schema` keeps several stores in one database (the tests
 * use one schema per run).
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { AnnuaireError } from '../../error.js';
import type { SqlEngine, WriteSession } from '../sql/engine.js';
import { appliedMigrations, latestSchemaVersion, migrate } from '../sql/migrator.js';
import { checkedPath } from '../sql/json-path.js';
import { documentKinds, type Dialect } from '../sql/schema.js';
import { PgRunner } from './pg-runner.js';
import { PostgresWriteSession } from './postgres-write-session.js';
import type { Classify } from '../sql/classifier.js';

const dialect: Dialect = {
  text: 'text COLLATE "C"',
  bigint: 'bigint',
  clustered: '',
  vidColumn: 'vid bigint PRIMARY KEY',
  documents: false,
};

/** Key of the advisory lock that serializes releases (any constant; "ANNU" in ASCII). */
const RELEASE_LOCK = 0x414e4e55;
/** How long a second writer waits for the first before failing. */
const LOCK_WAIT_MS = 5_000;

export class PostgresEngine implements SqlEngine {
  readonly name = 'postgres';
  readonly latestSchemaVersion = latestSchemaVersion(dialect);
  readonly documentKinds = documentKinds(dialect);
  readonly reader: PgRunner;
  readonly location: string;
  readonly #pool: pg.Pool;
  readonly #config: pg.PoolConfig;
  readonly #schema: string;
  #writing = false;

  readonly #classify: Classify | undefined;

  private constructor(config: pg.PoolConfig, schema: string, location: string, classify?: Classify) {
    this.#classify = classify;
    this.#config = config;
    this.#schema = schema;
    this.location = location;
    this.#pool = new pg.Pool(config);
    this.reader = new PgRunner(this.#pool);
  }

  /** `classify`: the store's classifier of versions (sql/classifier.ts). */
  static async connect(url: string, classify?: Classify): Promise<PostgresEngine> {
    const parsed = new URL(url);
    const schema = parsed.searchParams.get('schema') ?? 'public';
    if (!/^[a-z_][a-z0-9_]*$/.test(schema)) {
      throw new AnnuaireError(
        400,
        'invalid',
        `schema "${schema}" must be a lower-case SQL identifier`,
        '--db',
      );
    }
    parsed.searchParams.delete('schema');
    const config: pg.PoolConfig = {
      connectionString: parsed.toString(),
      options: `-c search_path=${schema}`,
      max: 8,
    };
    parsed.password = '';
    const engine = new PostgresEngine(
      config,
      schema,
      `${parsed.toString()}${schema === 'public' ? '' : ` (schema ${schema})`}`,
      classify,
    );
    try {
      await engine.#pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } catch (e) {
      await engine.#pool.end();
      throw new AnnuaireError(
        503,
        'exception',
        `cannot reach PostgreSQL at ${engine.location}: ${(e as Error).message}`,
      );
    }
    return engine;
  }

  /** bytea travels as hex text: the text itself is cheaper. */
  readonly jsonBytes = 'json';

  jsonText(path: readonly (string | number)[]): string {
    return `coalesce(v.json::jsonb #>> '{${checkedPath(path).join(',')}}', '')`;
  }

  async migrate(): Promise<{ from: number; to: number }> {
    const db = this.#kysely();
    try {
      return await migrate(db, dialect, this.#schema);
    } finally {
      await db.destroy();
    }
  }

  async schemaVersion(): Promise<number> {
    const db = this.#kysely();
    try {
      return await appliedMigrations(db, this.#schema);
    } finally {
      await db.destroy();
    }
  }

  async beginWrite(): Promise<WriteSession> {
    if (this.#writing) {
      throw new AnnuaireError(409, 'conflict', 'a release is already being written by this process');
    }
    this.#writing = true;
    const client = await this.#pool.connect().catch((e: unknown) => {
      this.#writing = false;
      throw e;
    });
    const done = (): void => {
      this.#writing = false;
      client.release();
    };
    try {
      await client.query('BEGIN');
      // Poll a try-lock rather than wait on the lock, so a second writer fails after a bounded time.
      const deadline = Date.now() + LOCK_WAIT_MS;
      for (;;) {
        // Keyed by schema too: stores in other schemas of the same database write independently.
        const { rows } = await client.query<{ ok: boolean }>(
          'SELECT pg_try_advisory_xact_lock($1, hashtext(current_schema())) AS ok',
          [RELEASE_LOCK],
        );
        if (rows[0]?.ok) {
          break;
        }
        if (Date.now() > deadline) {
          throw new AnnuaireError(
            409,
            'conflict',
            `another process is writing a release to ${this.location}; try again when it ends`,
          );
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      return await PostgresWriteSession.create(client, done, this.#classify);
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      done();
      throw e;
    }
  }

  writeOne(sql: string, params: readonly unknown[] = []): Promise<number> {
    return this.reader.run(sql, params);
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }

  #kysely(): Kysely<unknown> {
    return new Kysely<unknown>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ ...this.#config, max: 1 }) }),
    });
  }
}
