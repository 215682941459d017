/**
 * The SQLite write worker: owns the writer connection and runs a release's operations in order, off the main
 * thread, so the main thread serializes and indexes the next batch while SQLite writes the previous one.
 * Two cores, two halves of the work (bench: bulk-write).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openConnection } from './sqlite-connection.js';
import { SqliteRunner } from './sqlite-runner.js';
import { SqliteWriteOps } from './sqlite-write-session.js';
import type { WorkerReply, WorkerRequest } from './worker-protocol.js';
import { loadClassifier, type ClassifierRef } from '../sql/classifier.js';

const { location, classifier } = workerData as { location: string; classifier?: ClassifierRef };
// Loaded before the first message is handled (the port queues messages until a listener is attached).
const classify = await loadClassifier(classifier);
const connection = openConnection(location);
// A large page cache for bulk loads (the index of a national load is several hundred MB), temp B-trees in
// memory.
connection.pragma('cache_size = -262144');
connection.pragma('temp_store = MEMORY');
const runner = new SqliteRunner(connection);
let ops: SqliteWriteOps | undefined;

function handle(req: WorkerRequest): unknown {
  switch (req.op) {
    case 'begin':
      ops = new SqliteWriteOps(runner, classify);
      return null;
    case 'close':
      connection.close();
      return null;
    case 'commit':
    case 'rollback': {
      const current = ops;
      ops = undefined;
      current?.[req.op]();
      return null;
    }
    default: {
      if (!ops) {
        throw new Error(`no open release for ${req.op}`);
      }
      // eslint-disable-next-line @typescript-eslint/unbound-method -- called right here, on `ops`
      const method = ops[req.op] as (this: SqliteWriteOps, ...args: unknown[]) => unknown;
      return method.apply(ops, req.args as unknown[]);
    }
  }
}

parentPort!.on('message', (req: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    reply = { id: req.id, ok: true, value: handle(req) };
  } catch (e) {
    const err = e as { message?: string; code?: string };
    reply = {
      id: req.id,
      ok: false,
      message: err.message ?? String(e),
      ...(err.code ? { code: err.code } : {}),
    };
    if (req.op !== 'rollback' && ops && !connection.inTransaction) {
      ops = undefined;
    }
  }
  parentPort!.postMessage(reply);
  if (req.op === 'close') {
    parentPort!.close();
  }
});
