/**
 * The PostgreSQL write transaction: each bulk operation is one statement that receives its rows as arrays
 * and expands them with unnest(), so a batch of thousands of rows costs one round trip.
 * https://www.postgresql.org/docs/current/functions-array.html
 */
import type pg from 'pg';
import type { IndexKind } from '../store.js';
import {
  versionText,
  type CurrentState,
  type FlatRows,
  type VersionBatch,
  type WriteSession,
} from '../sql/engine.js';
import { INDEX_TABLES, keyColumns, OPEN, rowColumns } from '../sql/index-rows.js';
import { PgRunner } from './pg-runner.js';
import { flagOf, type Classify } from '../sql/classifier.js';

interface CurrentDbRow {
  id: string;
  vid: string;
  version: number;
  rel_from: number;
  hash: string;
  active: number;
  deleted: number;
}

/** The stored JSON texts and hashes of a batch, column by column. */
function texts(b: VersionBatch): { json: string[]; hash: string[] } {
  const json: string[] = [];
  const hash: string[] = [];
  for (let i = 0; i < b.vid.length; i++) {
    const t = versionText(b, i);
    json.push(t.json);
    hash.push(t.hash);
  }
  return { json, hash };
}

const INTEGER_COLUMNS = new Set(['pid', 'sid']);

/** unnest($2::int[], $3::text[], …) AS u(pid, …), parameters numbered from `first`. */
function unnestRows(cols: readonly string[], first: number): string {
  const arrays = cols.map((c, i) => `$${first + i}::${INTEGER_COLUMNS.has(c) ? 'int' : 'text'}[]`);
  return `unnest(${arrays.join(', ')}) AS u(${cols.join(', ')})`;
}

/** t.pid = u.pid AND t.value = u.value COLLATE "C" … (our text columns compare bytewise). */
const joinKeys = (kind: IndexKind): string =>
  keyColumns(kind)
    .map((c) => (INTEGER_COLUMNS.has(c) ? `t.${c} = u.${c}` : `t.${c} = u.${c} COLLATE "C"`))
    .join(' AND ');

/** Transposes rows laid end to end (`width` values each) into one array per column, for unnest. */
function columns(flat: FlatRows, width: number): unknown[][] {
  const cols: unknown[][] = Array.from({ length: width }, () => []);
  for (let i = 0; i < flat.length; i += width) {
    for (let j = 0; j < width; j++) {
      cols[j]!.push(flat[i + j]);
    }
  }
  return cols;
}

/** Versions a release writes from which its tables are analyzed when it commits. */
const ANALYZE_AFTER = 10_000;
/** The tables a release writes (in the store's schema, the session's search_path). */
const ANALYZED_TABLES = [
  'resource_version',
  'resource_current',
  'source_unit',
  ...Object.values(INDEX_TABLES).map((t) => t.table),
];

export class PostgresWriteSession extends PgRunner implements WriteSession {
  readonly #client: pg.PoolClient;
  readonly #done: () => void;
  #open = true;
  /** The last operation queued: see #serial(). */
  #tail: Promise<unknown> = Promise.resolve();
  /** Versions written by this release: a large one has its tables analyzed after it commits. */
  #written = 0;

  readonly #classify: Classify | undefined;

  private constructor(client: pg.PoolClient, done: () => void, classify?: Classify) {
    super(client);
    this.#client = client;
    this.#done = done;
    this.#classify = classify;
  }

  /** `done` releases the client and the engine's writer slot once the transaction ends. */
  static async create(
    client: pg.PoolClient,
    done: () => void,
    classify?: Classify,
  ): Promise<PostgresWriteSession> {
    await client.query(
      `CREATE TEMP TABLE IF NOT EXISTS release_seen (type text COLLATE "C" NOT NULL, id text COLLATE "C" NOT NULL,
         PRIMARY KEY (type, id)) ON COMMIT DROP`,
    );
    return new PostgresWriteSession(client, done, classify);
  }

  #flags(b: VersionBatch): (number | null)[] {
    return b.canonical.map((canonical, i) => flagOf(this.#classify, b.type[i]!, canonical));
  }

  lookupCurrent(type: string, ids: readonly string[]): Promise<Map<string, CurrentState>> {
    return this.#serial(() => this.#lookupCurrent(type, ids));
  }

  async #lookupCurrent(type: string, ids: readonly string[]): Promise<Map<string, CurrentState>> {
    const { rows } = await this.#client.query<CurrentDbRow>(
      `SELECT id, vid, version, rel_from, hash, active, deleted FROM resource_current
        WHERE type = $1 AND id = ANY($2::text[])`,
      [type, ids],
    );
    return new Map(
      rows.map((r) => [
        r.id,
        {
          vid: Number(r.vid),
          version: r.version,
          relFrom: r.rel_from,
          hash: r.hash,
          active: r.active === 1,
          deleted: r.deleted === 1,
        },
      ]),
    );
  }

  activeAmong(type: string, ids: readonly string[]): Promise<Uint8Array> {
    return this.#serial(async () => {
      const { rows } = await this.#client.query<{ id: string }>(
        `SELECT id FROM resource_current WHERE type = $1 AND id = ANY($2::text[]) AND active = 1 AND deleted = 0`,
        [type, ids],
      );
      const active = new Set(rows.map((r) => r.id));
      return Uint8Array.from(ids, (id) => (active.has(id) ? 1 : 0));
    });
  }

  readJson(vids: readonly number[]): Promise<Map<number, string>> {
    return this.#serial(() => this.#readJson(vids));
  }

  async #readJson(vids: readonly number[]): Promise<Map<number, string>> {
    const { rows } = await this.#client.query<{ vid: string; json: string }>(
      'SELECT vid, json FROM resource_version WHERE vid = ANY($1::bigint[])',
      [vids],
    );
    return new Map(rows.map((r) => [Number(r.vid), r.json]));
  }

  insertVersions(b: VersionBatch): Promise<void> {
    return this.#serial(() => this.#insertVersions(b));
  }

  async #insertVersions(b: VersionBatch): Promise<void> {
    this.#written += b.vid.length;
    const { json, hash } = texts(b);
    await this.#client.query(
      `INSERT INTO resource_version (vid, type, id, version, rel_from, last_updated, active, deleted, json, flagged)
       SELECT u.vid, u.type, u.id, u.version, $1, $2, u.active, u.deleted, u.json, u.flagged
         FROM unnest($3::bigint[], $4::text[], $5::text[], $6::int[], $7::int[], $8::int[], $9::text[], $10::int[])
              AS u(vid, type, id, version, active, deleted, json, flagged)`,
      [b.relFrom, b.lastUpdated, b.vid, b.type, b.id, b.version, b.active, b.deleted, json, this.#flags(b)],
    );
    await this.#upsertCurrent(b, hash);
  }

  rewriteVersions(b: VersionBatch): Promise<void> {
    return this.#serial(() => this.#rewriteVersions(b));
  }

  async #rewriteVersions(b: VersionBatch): Promise<void> {
    const { json, hash } = texts(b);
    await this.#client.query(
      `UPDATE resource_version v SET last_updated = $1, active = u.active, deleted = u.deleted, json = u.json,
         flagged = u.flagged
         FROM unnest($2::bigint[], $3::int[], $4::int[], $5::text[], $6::int[]) AS u(vid, active, deleted, json, flagged)
        WHERE v.vid = u.vid`,
      [b.lastUpdated, b.vid, b.active, b.deleted, json, this.#flags(b)],
    );
    await this.#upsertCurrent(b, hash);
  }

  async #upsertCurrent(b: VersionBatch, hash: string[]): Promise<void> {
    await this.#client.query(
      `INSERT INTO resource_current (type, id, vid, version, rel_from, hash, active, deleted)
       SELECT u.type, u.id, u.vid, u.version, $1, u.hash, u.active, u.deleted
         FROM unnest($2::text[], $3::text[], $4::bigint[], $5::int[], $6::text[], $7::int[], $8::int[])
              AS u(type, id, vid, version, hash, active, deleted)
       ON CONFLICT (type, id) DO UPDATE SET vid = excluded.vid, version = excluded.version,
         rel_from = excluded.rel_from, hash = excluded.hash, active = excluded.active, deleted = excluded.deleted`,
      [b.relFrom, b.type, b.id, b.vid, b.version, hash, b.active, b.deleted],
    );
  }

  closeVersions(vids: readonly number[], release: number): Promise<void> {
    return this.#serial(() => this.#closeVersions(vids, release));
  }

  async #closeVersions(vids: readonly number[], release: number): Promise<void> {
    await this.#client.query('UPDATE resource_version SET rel_to = $1 WHERE vid = ANY($2::bigint[])', [
      release,
      vids,
    ]);
  }

  openIndexRows(kind: IndexKind, rows: FlatRows, release: number): Promise<void> {
    return this.#serial(() => this.#openIndexRows(kind, rows, release));
  }

  async #openIndexRows(kind: IndexKind, rows: FlatRows, release: number): Promise<void> {
    const cols = rowColumns(kind);
    const payload = INDEX_TABLES[kind].payload.map((c) => `, ${c} = excluded.${c}`).join('');
    await this.#client.query(
      `INSERT INTO ${INDEX_TABLES[kind].table} (${cols.join(', ')}, rel_from, rel_to)
       SELECT u.*, $1::int, ${OPEN} FROM ${unnestRows(cols, 2)}
       ON CONFLICT (${keyColumns(kind).join(', ')}, rel_from) DO UPDATE SET rel_to = ${OPEN}${payload}`,
      [release, ...columns(rows, cols.length)],
    );
  }

  closeIndexRows(kind: IndexKind, rows: FlatRows, release: number): Promise<void> {
    return this.#serial(() => this.#closeIndexRows(kind, rows, release));
  }

  async #closeIndexRows(kind: IndexKind, rows: FlatRows, release: number): Promise<void> {
    const { table } = INDEX_TABLES[kind];
    const keys = keyColumns(kind);
    const params = [release, ...columns(rows, keys.length)];
    await this.#client.query(
      `DELETE FROM ${table} t USING ${unnestRows(keys, 2)} WHERE ${joinKeys(kind)} AND t.rel_from = $1`,
      params,
    );
    await this.#client.query(
      `UPDATE ${table} t SET rel_to = $1 FROM ${unnestRows(keys, 2)} WHERE ${joinKeys(kind)} AND t.rel_to = ${OPEN}`,
      params,
    );
  }

  deleteClosedIndexRows(kind: IndexKind, rows: FlatRows, release: number): Promise<number> {
    return this.#serial(() => this.#deleteClosedIndexRows(kind, rows, release));
  }

  async #deleteClosedIndexRows(kind: IndexKind, rows: FlatRows, release: number): Promise<number> {
    const { table } = INDEX_TABLES[kind];
    const keys = keyColumns(kind);
    const result = await this.#client.query(
      `DELETE FROM ${table} t USING ${unnestRows(keys, 2)} WHERE ${joinKeys(kind)} AND t.rel_to = $1`,
      [release, ...columns(rows, keys.length)],
    );
    return result.rowCount ?? 0;
  }

  /** PostgreSQL keeps every kind as rows (schema.ts: documents false). */
  writeDocuments(): Promise<void> {
    return Promise.reject(new Error('index documents are not used on PostgreSQL'));
  }

  deleteDocuments(): Promise<number> {
    return Promise.reject(new Error('index documents are not used on PostgreSQL'));
  }

  markSeen(type: string, ids: readonly string[]): Promise<void> {
    return this.#serial(() => this.#markSeen(type, ids));
  }

  async #markSeen(type: string, ids: readonly string[]): Promise<void> {
    await this.#client.query(
      'INSERT INTO release_seen (type, id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING',
      [type, ids],
    );
  }

  override all<T>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return this.#serial(() => super.all<T>(sql, params));
  }

  override get<T>(sql: string, params?: readonly unknown[]): Promise<T | undefined> {
    // Not super.get(): it calls this.all(), which would queue behind itself.
    return this.#serial(async () => (await super.all<T>(sql, params))[0]);
  }

  override run(sql: string, params?: readonly unknown[]): Promise<number> {
    return this.#serial(() => super.run(sql, params));
  }

  commit(): Promise<void> {
    return this.#serial(() => this.#end('COMMIT'));
  }

  rollback(): Promise<void> {
    // After the operations already queued, whatever their outcome.
    return this.#serial(() => this.#end('ROLLBACK'));
  }

  /**
   * Runs operations one after another, each whole (several of them are two statements) before the next starts:
   * the release writer queues a batch's writes without awaiting them and reads right after, and must see them
   * (engine.ts WriteSession). One statement at a time is also what node-postgres asks of a client.
   */
  #serial<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(work);
    this.#tail = result.catch(() => undefined);
    return result;
  }

  async #end(statement: 'COMMIT' | 'ROLLBACK'): Promise<void> {
    if (!this.#open) {
      return;
    }
    this.#open = false;
    try {
      await this.#client.query(statement);
      if (statement === 'COMMIT' && this.#written >= ANALYZE_AFTER) {
        // Fresh statistics for the planner right after a bulk load, not when autovacuum gets to it: without
        // them it reckons one row where there are 60,000 and joins a chain by nested loops (profession + city
        // at scale 0.2: 13.6 s, 0.46 s once analyzed). https://www.postgresql.org/docs/current/populate.html#POPULATE-ANALYZE
        await this.#client.query(`ANALYZE ${ANALYZED_TABLES.join(', ')}`);
      }
    } finally {
      this.#done();
    }
  }
}
