/**
 * Small integer ids for values repeated across millions of index rows: search parameters (table search_param,
 * id pid, key type + code + kind) and token systems (table token_system, id sid, key system). A dictionary
 * grows inside the write transaction that first needs a value.
 */
import type { IndexKind } from '../store.js';
import type { SqlRunner } from './engine.js';

class Dictionary {
  readonly #ids = new Map<string, number>();
  #next = 1;

  constructor(
    private readonly table: string,
    private readonly idColumn: string,
    private readonly keyColumns: readonly string[],
    rows: readonly Record<string, string | number>[],
  ) {
    for (const r of rows) {
      const id = Number(r[idColumn]);
      this.#ids.set(keyColumns.map((c) => r[c]).join('\u0000'), id);
      this.#next = Math.max(this.#next, id + 1);
    }
  }

  get(key: readonly string[]): number | undefined {
    // One-column keys (systems) are looked up as they are: this runs for every indexed token.
    return this.#ids.get(key.length === 1 ? key[0]! : key.join('\u0000'));
  }

  async ensure(db: SqlRunner, key: readonly string[]): Promise<number> {
    const known = this.get(key);
    if (known !== undefined) {
      return known;
    }
    // Known before the insert is written, so that concurrent batches of a release (release-writer.ts) agree on
    // it; the insert is queued in the release's session, and a failure fails the release, dictionary and all.
    const id = this.#next++;
    this.#ids.set(key.join('\u0000'), id);
    const cols = [this.idColumn, ...this.keyColumns];
    await db.run(
      `INSERT INTO ${this.table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
      [id, ...key],
    );
    return id;
  }
}

export class ParamIds {
  /** type → code → kind → pid, in front of the dictionary: no key string is built per indexed entry. */
  readonly #pids = new Map<string, Map<string, Partial<Record<IndexKind, number>>>>();

  private constructor(
    readonly params: Dictionary,
    readonly systems: Dictionary,
  ) {}

  static async load(db: SqlRunner): Promise<ParamIds> {
    return new ParamIds(
      new Dictionary(
        'search_param',
        'pid',
        ['type', 'code', 'kind'],
        await db.all('SELECT pid, type, code, kind FROM search_param'),
      ),
      new Dictionary('token_system', 'sid', ['system'], await db.all('SELECT sid, system FROM token_system')),
    );
  }

  pid(type: string, code: string, kind: IndexKind): number | undefined {
    const cached = this.#pids.get(type)?.get(code)?.[kind];
    if (cached !== undefined) {
      return cached;
    }
    const pid = this.params.get([type, code, kind]);
    if (pid !== undefined) {
      this.#remember(type, code, kind, pid);
    }
    return pid;
  }

  async ensurePid(db: SqlRunner, type: string, code: string, kind: IndexKind): Promise<number> {
    const pid = await this.params.ensure(db, [type, code, kind]);
    this.#remember(type, code, kind, pid);
    return pid;
  }

  #remember(type: string, code: string, kind: IndexKind, pid: number): void {
    let codes = this.#pids.get(type);
    if (!codes) {
      codes = new Map();
      this.#pids.set(type, codes);
    }
    codes.set(code, { ...codes.get(code), [kind]: pid });
  }

  sid(system: string): number | undefined {
    return this.systems.get([system]);
  }

  ensureSid(db: SqlRunner, system: string): Promise<number> {
    return this.systems.ensure(db, [system]);
  }
}
