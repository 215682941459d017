/**
 * Index rows name their search parameter by a small integer (pid) instead of repeating resource type and code
 * in tens of millions of rows. The mapping lives in table search_param and grows as new parameters appear.
 */
import type { IndexKind } from '../store.js';
import type { SqlRunner } from './engine.js';

interface ParamRow {
  pid: number;
  type: string;
  code: string;
  kind: IndexKind;
}

export class ParamIds {
  readonly #pids = new Map<string, number>();
  #next = 1;

  private constructor(rows: readonly ParamRow[]) {
    for (const r of rows) {
      this.#pids.set(`${r.type}\u0000${r.code}\u0000${r.kind}`, r.pid);
      this.#next = Math.max(this.#next, r.pid + 1);
    }
  }

  static async load(db: SqlRunner): Promise<ParamIds> {
    return new ParamIds(await db.all<ParamRow>('SELECT pid, type, code, kind FROM search_param'));
  }

  get(type: string, code: string, kind: IndexKind): number | undefined {
    return this.#pids.get(`${type}\u0000${code}\u0000${kind}`);
  }

  /** The pid of a parameter, registering it (inside the caller's write transaction) on first use. */
  async ensure(db: SqlRunner, type: string, code: string, kind: IndexKind): Promise<number> {
    const known = this.get(type, code, kind);
    if (known !== undefined) {
      return known;
    }
    const pid = this.#next++;
    await db.run('INSERT INTO search_param (pid, type, code, kind) VALUES (?, ?, ?, ?)', [
      pid,
      type,
      code,
      kind,
    ]);
    this.#pids.set(`${type}\u0000${code}\u0000${kind}`, pid);
    return pid;
  }
}
