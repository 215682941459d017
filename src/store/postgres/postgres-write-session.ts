/**
 * The PostgreSQL write transaction: each bulk operation is one statement that receives its rows as arrays
 * and expands them with unnest(), so a batch of thousands of rows costs one round trip.
 * https://www.postgresql.org/docs/current/functions-array.html
 */
import type pg from 'pg';
import type { IndexKind } from '../store.js';
import type { CurrentRow, CurrentState, VersionRow, WriteSession } from '../sql/engine.js';
import { INDEX_TABLES, OPEN, type IndexRow } from '../sql/index-rows.js';
import { PgRunner } from './pg-runner.js';

interface CurrentDbRow {
  id: string;
  vid: string;
  version: number;
  rel_from: number;
  hash: string;
  active: number;
  deleted: number;
}

/** Columns of an index row as given to unnest: pid, the table's keys, id. */
const rowColumns = (kind: IndexKind): string[] => ['pid', ...INDEX_TABLES[kind].keys, 'id'];

/** unnest($1::int[], $2::text[], …) AS u(pid, …, id), parameters numbered from `first`. */
function unnestRows(kind: IndexKind, first: number): string {
  const cols = rowColumns(kind);
  const arrays = cols.map((c, i) => `$${first + i}::${c === 'pid' ? 'int' : 'text'}[]`);
  return `unnest(${arrays.join(', ')}) AS u(${cols.join(', ')})`;
}

/** t.pid = u.pid AND t.value = u.value COLLATE "C" … (our text columns compare bytewise). */
const joinRows = (kind: IndexKind): string =>
  rowColumns(kind)
    .map((c) => (c === 'pid' ? 't.pid = u.pid' : `t.${c} = u.${c} COLLATE "C"`))
    .join(' AND ');

/** Transposes rows into one array per column, for unnest. */
function columns(rows: readonly IndexRow[], width: number): unknown[][] {
  const cols: unknown[][] = Array.from({ length: width }, () => []);
  for (const r of rows) {
    for (let i = 0; i < width; i++) {
      cols[i]!.push(r[i]);
    }
  }
  return cols;
}

export class PostgresWriteSession extends PgRunner implements WriteSession {
  readonly #client: pg.PoolClient;
  readonly #done: () => void;
  #open = true;

  private constructor(client: pg.PoolClient, done: () => void) {
    super(client);
    this.#client = client;
    this.#done = done;
  }

  /** `done` releases the client and the engine's writer slot once the transaction ends. */
  static async create(client: pg.PoolClient, done: () => void): Promise<PostgresWriteSession> {
    await client.query(
      `CREATE TEMP TABLE IF NOT EXISTS release_seen (type text COLLATE "C" NOT NULL, id text COLLATE "C" NOT NULL,
         PRIMARY KEY (type, id)) ON COMMIT DROP`,
    );
    return new PostgresWriteSession(client, done);
  }

  async lookupCurrent(type: string, ids: readonly string[]): Promise<Map<string, CurrentState>> {
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

  async readJson(vids: readonly number[]): Promise<Map<number, string>> {
    const { rows } = await this.#client.query<{ vid: string; json: string }>(
      'SELECT vid, json FROM resource_version WHERE vid = ANY($1::bigint[])',
      [vids],
    );
    return new Map(rows.map((r) => [Number(r.vid), r.json]));
  }

  async insertVersions(rows: readonly VersionRow[]): Promise<void> {
    await this.#client.query(
      `INSERT INTO resource_version (vid, type, id, version, rel_from, last_updated, active, deleted, json)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[], $5::int[], $6::text[], $7::int[],
                            $8::int[], $9::text[])`,
      [
        rows.map((r) => r.vid),
        rows.map((r) => r.type),
        rows.map((r) => r.id),
        rows.map((r) => r.version),
        rows.map((r) => r.relFrom),
        rows.map((r) => r.lastUpdated),
        rows.map((r) => (r.active ? 1 : 0)),
        rows.map((r) => (r.deleted ? 1 : 0)),
        rows.map((r) => r.json),
      ],
    );
  }

  async rewriteVersions(rows: readonly VersionRow[]): Promise<void> {
    await this.#client.query(
      `UPDATE resource_version v SET last_updated = u.last_updated, active = u.active, deleted = u.deleted,
              json = u.json
         FROM unnest($1::bigint[], $2::text[], $3::int[], $4::int[], $5::text[])
              AS u(vid, last_updated, active, deleted, json)
        WHERE v.vid = u.vid`,
      [
        rows.map((r) => r.vid),
        rows.map((r) => r.lastUpdated),
        rows.map((r) => (r.active ? 1 : 0)),
        rows.map((r) => (r.deleted ? 1 : 0)),
        rows.map((r) => r.json),
      ],
    );
  }

  async closeVersions(vids: readonly number[], release: number): Promise<void> {
    await this.#client.query('UPDATE resource_version SET rel_to = $1 WHERE vid = ANY($2::bigint[])', [
      release,
      vids,
    ]);
  }

  async upsertCurrent(rows: readonly CurrentRow[]): Promise<void> {
    await this.#client.query(
      `INSERT INTO resource_current (type, id, vid, version, rel_from, hash, active, deleted)
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::int[], $5::int[], $6::text[], $7::int[],
                            $8::int[])
       ON CONFLICT (type, id) DO UPDATE SET vid = excluded.vid, version = excluded.version,
         rel_from = excluded.rel_from, hash = excluded.hash, active = excluded.active, deleted = excluded.deleted`,
      [
        rows.map((r) => r.type),
        rows.map((r) => r.id),
        rows.map((r) => r.vid),
        rows.map((r) => r.version),
        rows.map((r) => r.relFrom),
        rows.map((r) => r.hash),
        rows.map((r) => (r.active ? 1 : 0)),
        rows.map((r) => (r.deleted ? 1 : 0)),
      ],
    );
  }

  async openIndexRows(kind: IndexKind, rows: readonly IndexRow[], release: number): Promise<void> {
    const cols = rowColumns(kind);
    await this.#client.query(
      `INSERT INTO ${INDEX_TABLES[kind].table} (${cols.join(', ')}, rel_from, rel_to)
       SELECT u.*, $1::int, ${OPEN} FROM ${unnestRows(kind, 2)}
       ON CONFLICT (${cols.join(', ')}, rel_from) DO UPDATE SET rel_to = ${OPEN}`,
      [release, ...columns(rows, cols.length)],
    );
  }

  async closeIndexRows(kind: IndexKind, rows: readonly IndexRow[], release: number): Promise<void> {
    const { table } = INDEX_TABLES[kind];
    const params = [release, ...columns(rows, rowColumns(kind).length)];
    await this.#client.query(
      `DELETE FROM ${table} t USING ${unnestRows(kind, 2)} WHERE ${joinRows(kind)} AND t.rel_from = $1`,
      params,
    );
    await this.#client.query(
      `UPDATE ${table} t SET rel_to = $1 FROM ${unnestRows(kind, 2)} WHERE ${joinRows(kind)} AND t.rel_to = ${OPEN}`,
      params,
    );
  }

  async deleteClosedIndexRows(kind: IndexKind, rows: readonly IndexRow[], release: number): Promise<number> {
    const { table } = INDEX_TABLES[kind];
    const result = await this.#client.query(
      `DELETE FROM ${table} t USING ${unnestRows(kind, 2)} WHERE ${joinRows(kind)} AND t.rel_to = $1`,
      [release, ...columns(rows, rowColumns(kind).length)],
    );
    return result.rowCount ?? 0;
  }

  async markSeen(type: string, ids: readonly string[]): Promise<void> {
    await this.#client.query(
      'INSERT INTO release_seen (type, id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING',
      [type, ids],
    );
  }

  commit(): Promise<void> {
    return this.#end('COMMIT');
  }

  rollback(): Promise<void> {
    return this.#end('ROLLBACK');
  }

  async #end(statement: 'COMMIT' | 'ROLLBACK'): Promise<void> {
    if (!this.#open) {
      return;
    }
    this.#open = false;
    try {
      await this.#client.query(statement);
    } finally {
      this.#done();
    }
  }
}
