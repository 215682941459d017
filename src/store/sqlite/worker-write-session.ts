/**
 * The main-thread side of a release written by the SQLite write worker: every WriteSession call becomes a
 * message, answered in order. Writes are not awaited by the release writer until it needs to read again, so
 * they overlap with the preparation of the next batch.
 */
import { Worker } from 'node:worker_threads';
import type { IndexKind } from '../store.js';
import type { CurrentState, FlatRows, VersionBatch, WriteSession } from '../sql/engine.js';
import type { WorkerOp, WorkerReply, WorkerRequest } from './worker-protocol.js';
import type { ClassifierRef } from '../sql/classifier.js';

export class WriteWorker {
  readonly #worker: Worker;
  readonly #waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly #exited: Promise<void>;
  #alive = true;
  #next = 1;

  constructor(location: string, classifier?: ClassifierRef) {
    this.#worker = new Worker(new URL('./write-worker.js', import.meta.url), {
      workerData: { location, ...(classifier ? { classifier } : {}) },
      // The worker's garbage is short-lived batches: a bounded old generation makes V8 collect it instead of
      // growing the heap for the length of a national load (peak RSS, bench: import). Its live data is a
      // few prepared statements.
      resourceLimits: { maxOldGenerationSizeMb: 256 },
    });
    this.#worker.on('message', (reply: WorkerReply) => {
      const waiter = this.#waiting.get(reply.id);
      this.#waiting.delete(reply.id);
      if (reply.ok) {
        waiter?.resolve(reply.value);
      } else {
        waiter?.reject(Object.assign(new Error(reply.message), reply.code ? { code: reply.code } : {}));
      }
    });
    this.#worker.on('error', (e) => this.#failAll(e));
    this.#exited = new Promise((resolve) =>
      this.#worker.once('exit', () => {
        this.#alive = false;
        this.#failAll(new Error('the SQLite write worker stopped'));
        resolve();
      }),
    );
  }

  call<T>(op: WorkerOp, ...args: unknown[]): Promise<T> {
    const id = this.#next++;
    const request: WorkerRequest = { id, op, args };
    if (!this.#alive) {
      return Promise.reject(new Error('the SQLite write worker stopped'));
    }
    return new Promise<T>((resolve, reject) => {
      this.#waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.#worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    await this.call('close');
    await this.#exited;
  }

  #failAll(e: Error): void {
    for (const w of this.#waiting.values()) {
      w.reject(e);
    }
    this.#waiting.clear();
  }
}

export class WorkerWriteSession implements WriteSession {
  readonly #worker: WriteWorker;
  readonly #done: () => void;
  #open = true;

  constructor(worker: WriteWorker, done: () => void) {
    this.#worker = worker;
    this.#done = done;
  }

  all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.#worker.call('all', sql, params);
  }

  get<T>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
    return this.#worker.call('get', sql, params);
  }

  run(sql: string, params: readonly unknown[] = []): Promise<number> {
    return this.#worker.call('run', sql, params);
  }

  lookupCurrent(type: string, ids: readonly string[]): Promise<Map<string, CurrentState>> {
    return this.#worker.call('lookupCurrent', type, ids);
  }

  readJson(vids: readonly number[]): Promise<Map<number, string>> {
    return this.#worker.call('readJson', vids);
  }

  insertVersions(batch: VersionBatch): Promise<void> {
    return this.#worker.call('insertVersions', batch);
  }

  rewriteVersions(batch: VersionBatch): Promise<void> {
    return this.#worker.call('rewriteVersions', batch);
  }

  closeVersions(vids: readonly number[], release: number): Promise<void> {
    return this.#worker.call('closeVersions', vids, release);
  }

  openIndexRows(kind: IndexKind, rows: FlatRows, release: number): Promise<void> {
    return this.#worker.call('openIndexRows', kind, rows, release);
  }

  closeIndexRows(kind: IndexKind, rows: FlatRows, release: number): Promise<void> {
    return this.#worker.call('closeIndexRows', kind, rows, release);
  }

  deleteClosedIndexRows(kind: IndexKind, rows: FlatRows, release: number): Promise<number> {
    return this.#worker.call('deleteClosedIndexRows', kind, rows, release);
  }

  writeDocuments(vids: readonly number[], terms: readonly string[], replace: boolean): Promise<void> {
    return this.#worker.call('writeDocuments', vids, terms, replace);
  }

  deleteDocuments(vids: readonly number[]): Promise<number> {
    return this.#worker.call('deleteDocuments', vids);
  }

  activeAmong(type: string, ids: readonly string[]): Promise<Uint8Array> {
    return this.#worker.call('activeAmong', type, ids);
  }

  markSeen(type: string, ids: readonly string[]): Promise<void> {
    return this.#worker.call('markSeen', type, ids);
  }

  commit(): Promise<void> {
    return this.#end('commit');
  }

  rollback(): Promise<void> {
    return this.#end('rollback');
  }

  async #end(op: 'commit' | 'rollback'): Promise<void> {
    if (!this.#open) {
      return;
    }
    this.#open = false;
    try {
      await this.#worker.call(op);
    } finally {
      this.#done();
    }
  }
}
