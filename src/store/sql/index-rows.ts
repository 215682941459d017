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
  /** Columns carried by the row outside its key. */
  readonly payload: readonly string[];
}

/**
 * Token systems are stored as small integers (table token_system): the NOS canonical URLs are 60 to 90 bytes
 * and would otherwise be repeated in most of the index.
 */
export const INDEX_TABLES: Readonly<Record<IndexKind, IndexTable>> = {
  token: { table: 'idx_token', keys: ['value', 'sid'], payload: ['type'] },
  string: { table: 'idx_string', keys: ['norm', 'exact'], payload: [] },
  reference: { table: 'idx_reference', keys: ['target'], payload: [] },
  date: { table: 'idx_date', keys: ['low', 'high'], payload: [] },
};

/** Columns that identify a row (with rel_from): pid, the keys, id. */
export const keyColumns = (kind: IndexKind): string[] => ['pid', ...INDEX_TABLES[kind].keys, 'id'];
/** Every column given when a row is written: the key columns, then the payload. */
export const rowColumns = (kind: IndexKind): string[] => [...keyColumns(kind), ...INDEX_TABLES[kind].payload];

export const INDEX_KINDS = Object.keys(INDEX_TABLES) as IndexKind[];

/** A row of an index table without its validity: [pid, ...keys, id, ...payload] (see rowColumns). */
export type IndexRow = (string | number)[];

/** The row of an entry, given the pid of its parameter and the sid of its system (tokens). */
export function entryRow(pid: number, id: string, entry: IndexEntry, sid: number): IndexRow {
  switch (entry.kind) {
    case 'token':
      return [pid, entry.value, sid, id, entry.type ?? ''];
    case 'string':
      return [pid, entry.norm, entry.exact, id];
    case 'reference':
      return [pid, entry.target, id];
    case 'date':
      return [pid, entry.low, entry.high, id];
  }
}

/** Lays rows end to end; with `width`, only their first `width` values (the key columns). */
export function flatten(rows: Iterable<IndexRow>, width?: number): (string | number)[] {
  const flat: (string | number)[] = [];
  for (const r of rows) {
    for (let i = 0; i < (width ?? r.length); i++) {
      flat.push(r[i]!);
    }
  }
  return flat;
}

/** Shared by the kinds an IndexRowSet has no rows of; never written to. */
const NONE: ReadonlyMap<string, IndexRow> = new Map();

/**
 * Groups entries by kind as rows, dropping duplicates (a value can be reached by two paths). A map is made
 * only for a kind that gets rows: one set is built per resource of a national load.
 */
export class IndexRowSet {
  readonly #rows: Partial<Record<IndexKind, Map<string, IndexRow>>> = {};

  /** The rows of a kind, by key. */
  of(kind: IndexKind): ReadonlyMap<string, IndexRow> {
    return this.#rows[kind] ?? NONE;
  }

  add(kind: IndexKind, row: IndexRow, key: string = row.join('\u0000')): void {
    (this.#rows[kind] ??= new Map()).set(key, row);
  }

  addAll(other: IndexRowSet, kinds: readonly IndexKind[] = INDEX_KINDS): void {
    for (const kind of kinds) {
      for (const [k, r] of other.of(kind)) {
        this.add(kind, r, k);
      }
    }
  }
}
