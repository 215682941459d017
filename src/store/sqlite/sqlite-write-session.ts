/**
 * The SQLite write transaction: bulk operations are prepared statements run in a loop, which is the fastest
 * path into SQLite (no SQL parsing per row, no round trip).
 */
import type { IndexKind } from '../store.js';
import type { CurrentRow, CurrentState, VersionRow, WriteSession } from '../sql/engine.js';
import { INDEX_TABLES, OPEN, type IndexRow } from '../sql/index-rows.js';
import type { SqliteRunner } from './sqlite-runner.js';

interface CurrentDbRow {
  vid: number;
  version: number;
  rel_from: number;
  hash: string;
  active: number;
  deleted: number;
}

const keyColumns = (kind: IndexKind): string[] => ['pid', ...INDEX_TABLES[kind].keys, 'id'];
const keyWhere = (kind: IndexKind): string =>
  keyColumns(kind)
    .map((c) => `${c} = ?`)
    .join(' AND ');

export class SqliteWriteSession implements WriteSession {
  readonly #db: SqliteRunner;
  readonly #done: () => void;
  #open = true;

  constructor(db: SqliteRunner, done: () => void) {
    this.#db = db;
    this.#done = done;
    db.db.exec(
      'CREATE TEMP TABLE IF NOT EXISTS release_seen (type TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (type, id)) WITHOUT ROWID',
    );
    db.db.exec('DELETE FROM temp.release_seen');
  }

  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return this.#db.all(sql, params);
  }

  get<T>(sql: string, params?: readonly unknown[]): Promise<T | undefined> {
    return this.#db.get(sql, params);
  }

  run(sql: string, params?: readonly unknown[]): Promise<number> {
    return this.#db.run(sql, params);
  }

  lookupCurrent(type: string, ids: readonly string[]): Promise<Map<string, CurrentState>> {
    const s = this.#db.prepare(
      'SELECT vid, version, rel_from, hash, active, deleted FROM resource_current WHERE type = ? AND id = ?',
    );
    const found = new Map<string, CurrentState>();
    for (const id of ids) {
      const r = s.get(type, id) as CurrentDbRow | undefined;
      if (r) {
        found.set(id, {
          vid: r.vid,
          version: r.version,
          relFrom: r.rel_from,
          hash: r.hash,
          active: r.active === 1,
          deleted: r.deleted === 1,
        });
      }
    }
    return Promise.resolve(found);
  }

  readJson(vids: readonly number[]): Promise<Map<number, string>> {
    const s = this.#db.prepare('SELECT json FROM resource_version WHERE vid = ?').pluck();
    return Promise.resolve(new Map(vids.map((vid) => [vid, s.get(vid) as string])));
  }

  insertVersions(rows: readonly VersionRow[]): Promise<void> {
    const s = this.#db.prepare(
      `INSERT INTO resource_version (vid, type, id, version, rel_from, last_updated, active, deleted, json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const r of rows) {
      s.run(
        r.vid,
        r.type,
        r.id,
        r.version,
        r.relFrom,
        r.lastUpdated,
        r.active ? 1 : 0,
        r.deleted ? 1 : 0,
        r.json,
      );
    }
    return Promise.resolve();
  }

  rewriteVersions(rows: readonly VersionRow[]): Promise<void> {
    const s = this.#db.prepare(
      'UPDATE resource_version SET last_updated = ?, active = ?, deleted = ?, json = ? WHERE vid = ?',
    );
    for (const r of rows) {
      s.run(r.lastUpdated, r.active ? 1 : 0, r.deleted ? 1 : 0, r.json, r.vid);
    }
    return Promise.resolve();
  }

  closeVersions(vids: readonly number[], release: number): Promise<void> {
    const s = this.#db.prepare('UPDATE resource_version SET rel_to = ? WHERE vid = ?');
    for (const vid of vids) {
      s.run(release, vid);
    }
    return Promise.resolve();
  }

  upsertCurrent(rows: readonly CurrentRow[]): Promise<void> {
    const s = this.#db.prepare(
      `INSERT INTO resource_current (type, id, vid, version, rel_from, hash, active, deleted)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (type, id) DO UPDATE SET vid = excluded.vid, version = excluded.version,
         rel_from = excluded.rel_from, hash = excluded.hash, active = excluded.active, deleted = excluded.deleted`,
    );
    for (const r of rows) {
      s.run(r.type, r.id, r.vid, r.version, r.relFrom, r.hash, r.active ? 1 : 0, r.deleted ? 1 : 0);
    }
    return Promise.resolve();
  }

  openIndexRows(kind: IndexKind, rows: readonly IndexRow[], release: number): Promise<void> {
    const cols = keyColumns(kind);
    const s = this.#db.prepare(
      `INSERT INTO ${INDEX_TABLES[kind].table} (${cols.join(', ')}, rel_from, rel_to)
       VALUES (${cols.map(() => '?').join(', ')}, ?, ${OPEN})
       ON CONFLICT (${cols.join(', ')}, rel_from) DO UPDATE SET rel_to = ${OPEN}`,
    );
    for (const r of rows) {
      s.run(...r, release);
    }
    return Promise.resolve();
  }

  closeIndexRows(kind: IndexKind, rows: readonly IndexRow[], release: number): Promise<void> {
    const { table } = INDEX_TABLES[kind];
    const drop = this.#db.prepare(`DELETE FROM ${table} WHERE ${keyWhere(kind)} AND rel_from = ?`);
    const close = this.#db.prepare(
      `UPDATE ${table} SET rel_to = ? WHERE ${keyWhere(kind)} AND rel_to = ${OPEN}`,
    );
    for (const r of rows) {
      drop.run(...r, release);
      close.run(release, ...r);
    }
    return Promise.resolve();
  }

  deleteClosedIndexRows(kind: IndexKind, rows: readonly IndexRow[], release: number): Promise<number> {
    const s = this.#db.prepare(
      `DELETE FROM ${INDEX_TABLES[kind].table} WHERE ${keyWhere(kind)} AND rel_to = ?`,
    );
    let n = 0;
    for (const r of rows) {
      n += s.run(...r, release).changes;
    }
    return Promise.resolve(n);
  }

  markSeen(type: string, ids: readonly string[]): Promise<void> {
    const s = this.#db.prepare(
      'INSERT INTO temp.release_seen (type, id) VALUES (?, ?) ON CONFLICT DO NOTHING',
    );
    for (const id of ids) {
      s.run(type, id);
    }
    return Promise.resolve();
  }

  commit(): Promise<void> {
    this.#end('COMMIT');
    return Promise.resolve();
  }

  rollback(): Promise<void> {
    this.#end('ROLLBACK');
    return Promise.resolve();
  }

  #end(statement: 'COMMIT' | 'ROLLBACK'): void {
    if (!this.#open) {
      return;
    }
    this.#open = false;
    try {
      if (this.#db.db.inTransaction) {
        this.#db.db.exec(statement);
      }
    } finally {
      this.#done();
    }
  }
}
