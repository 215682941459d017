/**
 * The SQLite write operations, synchronous, run inside the write worker (write-worker.ts) on its own
 * connection. Bulk operations are prepared statements run in a loop: no SQL parsing per row, no round trip.
 */
import type { Statement } from 'better-sqlite3';
import type { IndexKind } from '../store.js';
import { versionText, type CurrentState, type FlatRows, type VersionBatch } from '../sql/engine.js';
import { INDEX_TABLES, keyColumns, OPEN, rowColumns } from '../sql/index-rows.js';
import type { SqliteRunner } from './sqlite-runner.js';
import { flagOf, type Classify } from '../sql/classifier.js';

interface CurrentDbRow {
  vid: number;
  version: number;
  rel_from: number;
  hash: string;
  active: number;
  deleted: number;
}

/** Calls `run` with each row of `flat` (of `width` values) followed by `last`, reusing one argument array. */
function eachRow(
  flat: FlatRows,
  width: number,
  last: number,
  run: (args: (string | number)[]) => void,
): void {
  const args: (string | number)[] = new Array<string | number>(width + 1);
  args[width] = last;
  for (let i = 0; i < flat.length; i += width) {
    for (let j = 0; j < width; j++) {
      args[j] = flat[i + j]!;
    }
    run(args);
  }
}

const keyWhere = (kind: IndexKind): string =>
  keyColumns(kind)
    .map((c) => `${c} = ?`)
    .join(' AND ');

export class SqliteWriteOps {
  readonly #db: SqliteRunner;
  readonly #classify: Classify | undefined;

  /** Begins the release transaction (BEGIN IMMEDIATE takes the write lock now, not at the first write). */
  constructor(db: SqliteRunner, classify?: Classify) {
    this.#db = db;
    this.#classify = classify;
    db.db.exec('BEGIN IMMEDIATE');
    db.db.exec(
      'CREATE TEMP TABLE IF NOT EXISTS release_seen (type TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (type, id)) WITHOUT ROWID',
    );
    db.db.exec('DELETE FROM temp.release_seen');
  }

  all(sql: string, params: readonly unknown[] = []): unknown[] {
    return this.#db.prepare(sql).all(...params);
  }

  get(sql: string, params: readonly unknown[] = []): unknown {
    return this.#db.prepare(sql).get(...params);
  }

  run(sql: string, params: readonly unknown[] = []): number {
    return this.#db.prepare(sql).run(...params).changes;
  }

  lookupCurrent(type: string, ids: readonly string[]): Map<string, CurrentState> {
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
    return found;
  }

  activeAmong(type: string, ids: readonly string[]): Uint8Array {
    const s = this.#db
      .prepare('SELECT active = 1 AND deleted = 0 FROM resource_current WHERE type = ? AND id = ?')
      .pluck();
    const flags = new Uint8Array(ids.length);
    ids.forEach((id, i) => {
      flags[i] = s.get(type, id) === 1 ? 1 : 0;
    });
    return flags;
  }

  readJson(vids: readonly number[]): Map<number, string> {
    const s = this.#db.prepare('SELECT json FROM resource_version WHERE vid = ?').pluck();
    return new Map(vids.map((vid) => [vid, s.get(vid) as string]));
  }

  insertVersions(b: VersionBatch): void {
    const version = this.#db.prepare(
      `INSERT INTO resource_version (vid, type, id, version, rel_from, last_updated, active, deleted, json, flagged)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const current = this.#upsertCurrent();
    for (let i = 0; i < b.vid.length; i++) {
      const { json, hash } = versionText(b, i);
      version.run(
        b.vid[i],
        b.type[i],
        b.id[i],
        b.version[i],
        b.relFrom,
        b.lastUpdated,
        b.active[i],
        b.deleted[i],
        json,
        flagOf(this.#classify, b.type[i]!, b.canonical[i]!),
      );
      current.run(b.type[i], b.id[i], b.vid[i], b.version[i], b.relFrom, hash, b.active[i], b.deleted[i]);
    }
  }

  rewriteVersions(b: VersionBatch): void {
    const version = this.#db.prepare(
      'UPDATE resource_version SET last_updated = ?, active = ?, deleted = ?, json = ?, flagged = ? WHERE vid = ?',
    );
    const current = this.#upsertCurrent();
    for (let i = 0; i < b.vid.length; i++) {
      const { json, hash } = versionText(b, i);
      version.run(
        b.lastUpdated,
        b.active[i],
        b.deleted[i],
        json,
        flagOf(this.#classify, b.type[i]!, b.canonical[i]!),
        b.vid[i],
      );
      current.run(b.type[i], b.id[i], b.vid[i], b.version[i], b.relFrom, hash, b.active[i], b.deleted[i]);
    }
  }

  closeVersions(vids: readonly number[], release: number): void {
    const s = this.#db.prepare('UPDATE resource_version SET rel_to = ? WHERE vid = ?');
    for (const vid of vids) {
      s.run(release, vid);
    }
  }

  openIndexRows(kind: IndexKind, rows: FlatRows, release: number): void {
    const cols = rowColumns(kind);
    const payload = INDEX_TABLES[kind].payload.map((c) => `, ${c} = excluded.${c}`).join('');
    // One row per call: measured faster here than multi-row VALUES or json_each (SQLite's B-tree insert, not
    // the call, is the cost).
    const s = this.#db.prepare(
      `INSERT INTO ${INDEX_TABLES[kind].table} (${cols.join(', ')}, rel_from, rel_to)
       VALUES (${cols.map(() => '?').join(', ')}, ?, ${OPEN})
       ON CONFLICT (${keyColumns(kind).join(', ')}, rel_from) DO UPDATE SET rel_to = ${OPEN}${payload}`,
    );
    eachRow(rows, cols.length, release, (args) => s.run(args));
  }

  closeIndexRows(kind: IndexKind, keys: FlatRows, release: number): void {
    const { table } = INDEX_TABLES[kind];
    const drop = this.#db.prepare(`DELETE FROM ${table} WHERE ${keyWhere(kind)} AND rel_from = ?`);
    // The release is an integer of ours, written into the statement so the key binds alone.
    const close = this.#db.prepare(
      `UPDATE ${table} SET rel_to = ${Math.trunc(release)} WHERE ${keyWhere(kind)} AND rel_to = ${OPEN}`,
    );
    eachRow(keys, keyColumns(kind).length, release, (args) => {
      drop.run(args);
      close.run(args.slice(0, -1));
    });
  }

  deleteClosedIndexRows(kind: IndexKind, keys: FlatRows, release: number): number {
    const s = this.#db.prepare(
      `DELETE FROM ${INDEX_TABLES[kind].table} WHERE ${keyWhere(kind)} AND rel_to = ?`,
    );
    let n = 0;
    eachRow(keys, keyColumns(kind).length, release, (args) => {
      n += s.run(args).changes;
    });
    return n;
  }

  writeDocuments(vids: readonly number[], terms: readonly string[], replace: boolean): void {
    const drop = this.#db.prepare('DELETE FROM search_doc WHERE rowid = ?');
    const insert = this.#db.prepare('INSERT INTO search_doc (rowid, terms) VALUES (?, ?)');
    for (let i = 0; i < vids.length; i++) {
      if (replace) {
        drop.run(vids[i]);
      }
      insert.run(vids[i], terms[i]);
    }
  }

  deleteDocuments(vids: readonly number[]): number {
    const drop = this.#db.prepare('DELETE FROM search_doc WHERE rowid = ?');
    let n = 0;
    for (const vid of vids) {
      n += drop.run(vid).changes;
    }
    return n;
  }

  markSeen(type: string, ids: readonly string[]): void {
    const s = this.#db.prepare(
      'INSERT INTO temp.release_seen (type, id) VALUES (?, ?) ON CONFLICT DO NOTHING',
    );
    for (const id of ids) {
      s.run(type, id);
    }
  }

  #upsertCurrent(): Statement {
    return this.#db.prepare(
      `INSERT INTO resource_current (type, id, vid, version, rel_from, hash, active, deleted)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (type, id) DO UPDATE SET vid = excluded.vid, version = excluded.version,
         rel_from = excluded.rel_from, hash = excluded.hash, active = excluded.active, deleted = excluded.deleted`,
    );
  }

  commit(): void {
    this.#db.db.exec('COMMIT');
  }

  rollback(): void {
    if (this.#db.db.inTransaction) {
      this.#db.db.exec('ROLLBACK');
    }
  }
}
