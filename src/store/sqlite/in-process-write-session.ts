/**
 * A release written on the calling thread: the same SqliteWriteOps the write worker runs, without the worker.
 * Used where better-sqlite3 in a worker thread is unsafe (sqlite-connection.ts workerSafe()).
 */
import type { IndexKind } from '../store.js';
import type { CurrentState, FlatRows, VersionBatch, WriteSession } from '../sql/engine.js';
import type { SqliteRunner } from './sqlite-runner.js';
import { SqliteWriteOps } from './sqlite-write-session.js';
import type { Classify } from '../sql/classifier.js';

export class InProcessWriteSession implements WriteSession {
  readonly #ops: SqliteWriteOps;
  readonly #done: () => void;
  #open = true;

  constructor(runner: SqliteRunner, done: () => void, classify?: Classify) {
    this.#ops = new SqliteWriteOps(runner, classify);
    this.#done = done;
  }

  #call<T>(work: (ops: SqliteWriteOps) => T): Promise<T> {
    try {
      return Promise.resolve(work(this.#ops));
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }

  all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.#call((o) => o.all(sql, params) as T[]);
  }
  get<T>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
    return this.#call((o) => o.get(sql, params) as T | undefined);
  }
  run(sql: string, params: readonly unknown[] = []): Promise<number> {
    return this.#call((o) => o.run(sql, params));
  }
  lookupCurrent(type: string, ids: readonly string[]): Promise<Map<string, CurrentState>> {
    return this.#call((o) => o.lookupCurrent(type, ids));
  }
  readJson(vids: readonly number[]): Promise<Map<number, string>> {
    return this.#call((o) => o.readJson(vids));
  }
  insertVersions(batch: VersionBatch): Promise<void> {
    return this.#call((o) => o.insertVersions(batch));
  }
  rewriteVersions(batch: VersionBatch): Promise<void> {
    return this.#call((o) => o.rewriteVersions(batch));
  }
  closeVersions(vids: readonly number[], release: number): Promise<void> {
    return this.#call((o) => o.closeVersions(vids, release));
  }
  openIndexRows(kind: IndexKind, rows: FlatRows, release: number): Promise<void> {
    return this.#call((o) => o.openIndexRows(kind, rows, release));
  }
  closeIndexRows(kind: IndexKind, keys: FlatRows, release: number): Promise<void> {
    return this.#call((o) => o.closeIndexRows(kind, keys, release));
  }
  deleteClosedIndexRows(kind: IndexKind, keys: FlatRows, release: number): Promise<number> {
    return this.#call((o) => o.deleteClosedIndexRows(kind, keys, release));
  }
  writeDocuments(vids: readonly number[], terms: readonly string[], replace: boolean): Promise<void> {
    return this.#call((o) => o.writeDocuments(vids, terms, replace));
  }
  deleteDocuments(vids: readonly number[]): Promise<number> {
    return this.#call((o) => o.deleteDocuments(vids));
  }
  activeAmong(type: string, ids: readonly string[]): Promise<Uint8Array> {
    return this.#call((o) => o.activeAmong(type, ids));
  }

  markSeen(type: string, ids: readonly string[]): Promise<void> {
    return this.#call((o) => o.markSeen(type, ids));
  }
  commit(): Promise<void> {
    return this.#end((o) => o.commit());
  }
  rollback(): Promise<void> {
    return this.#end((o) => o.rollback());
  }

  #end(finish: (ops: SqliteWriteOps) => void): Promise<void> {
    if (!this.#open) {
      return Promise.resolve();
    }
    this.#open = false;
    try {
      return this.#call(finish);
    } finally {
      this.#done();
    }
  }
}
