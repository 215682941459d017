/** Messages between the store (main thread) and the SQLite write worker. */
import type { SqliteWriteOps } from './sqlite-write-session.js';

/** Operations the worker runs on its SqliteWriteOps; `begin` opens the transaction, `close` the connection. */
export type WorkerOp = Exclude<keyof SqliteWriteOps, 'constructor'> | 'begin' | 'close';

export interface WorkerRequest {
  readonly id: number;
  readonly op: WorkerOp;
  readonly args: readonly unknown[];
}

export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly message: string; readonly code?: string };
