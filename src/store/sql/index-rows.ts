/**
 * How index entries become rows of the four index tables. Each table's primary key is its search key followed
 * by the resource id and rel_from, so a lookup is a range scan of one B-tree and a row is found again from the
 * entry alone (to close it when a later version drops the entry).
 */
import type { IndexEntry, IndexKind } from '../store.js';

/** rel_to of a row that is still valid: larger than any release number. */
export const OPEN = 2147483647;

export interface IndexTable {
  readonly table: string;
  /** Key columns after pid, in primary-key order; the row then has id, rel_from, rel_to. */
  readonly keys: readonly string[];
}

export const INDEX_TABLES: Readonly<Record<IndexKind, IndexTable>> = {
  token: { table: 'idx_token', keys: ['value', 'system'] },
  string: { table: 'idx_string', keys: ['norm', 'exact'] },
  reference: { table: 'idx_reference', keys: ['target'] },
  date: { table: 'idx_date', keys: ['low', 'high'] },
};

export const INDEX_KINDS = Object.keys(INDEX_TABLES) as IndexKind[];

/** The key values of an entry, in the order of INDEX_TABLES[kind].keys. */
export function entryKeys(entry: IndexEntry): string[] {
  switch (entry.kind) {
    case 'token':
      return [entry.value, entry.system];
    case 'string':
      return [entry.norm, entry.exact];
    case 'reference':
      return [entry.target];
    case 'date':
      return [entry.low, entry.high];
  }
}

/** A row of an index table without its validity: [pid, ...keys, id]. */
export type IndexRow = (string | number)[];

/** Groups entries by kind as rows, dropping duplicates (a value can be reached by two paths). */
export class IndexRowSet {
  readonly rows: Record<IndexKind, Map<string, IndexRow>> = {
    token: new Map(),
    string: new Map(),
    reference: new Map(),
    date: new Map(),
  };

  add(pid: number, id: string, entry: IndexEntry): void {
    const keys = entryKeys(entry);
    const row: IndexRow = [pid, ...keys, id];
    this.rows[entry.kind].set(row.join('\u0000'), row);
  }

  get size(): number {
    return INDEX_KINDS.reduce((n, k) => n + this.rows[k].size, 0);
  }
}
