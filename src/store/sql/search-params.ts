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
    return this.#ids.get(key.join('\u0000'));
  }

  async ensure(db: SqlRunner, key: readonly string[]): Promise<number> {
    const known = this.get(key);
    if (known !== undefined) {
      return known;
    }
    const id = this.#next++;
    const cols = [this.idColumn, ...this.keyColumns];
    await db.run(
      `INSERT INTO ${this.table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
      [id, ...key],
    );
    this.#ids.set(key.join('\u0000'), id);
    return id;
  }
}

export class ParamIds {
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
    return this.params.get([type, code, kind]);
  }

  ensurePid(db: SqlRunner, type: string, code: string, kind: IndexKind): Promise<number> {
    return this.params.ensure(db, [type, code, kind]);
  }

  sid(system: string): number | undefined {
    return this.systems.get([system]);
  }

  ensureSid(db: SqlRunner, system: string): Promise<number> {
    return this.systems.ensure(db, [system]);
  }
}
