/**
 * What a SQL engine provides to the shared store logic (sql-store.ts, release-writer.ts). Everything that
 * differs between SQLite and PostgreSQL sits behind these two interfaces: placeholders, bulk-write techniques,
 * locking, pragmas and DDL. The SQL text that both dialects accept lives in queries.ts.
 */
import type { IndexKind } from '../store.js';
import { contentHash, storedText } from './resource-text.js';

/** Runs statements written with `?` placeholders (PostgreSQL numbers them). */
export interface SqlRunner {
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  run(sql: string, params?: readonly unknown[]): Promise<number>;
}

/**
 * Versions written by one batch of a release, column by column (cheap to hand to another thread). Each also
 * becomes the current version of its resource (table resource_current).
 */
export interface VersionBatch {
  readonly relFrom: number;
  readonly lastUpdated: string;
  readonly vid: number[];
  readonly type: string[];
  readonly id: string[];
  readonly version: number[];
  /** 1 or 0. */
  readonly active: number[];
  readonly deleted: number[];
  /** The content hash, or '' for the engine to compute it from `canonical` (resource-text.ts). */
  readonly hash: string[];
  /** The resource without version fields ('' for a deletion); the engine splices them in (storedText). */
  readonly canonical: string[];
  readonly splice: number[];
}

export function emptyVersionBatch(relFrom: number, lastUpdated: string): VersionBatch {
  return {
    relFrom,
    lastUpdated,
    vid: [],
    type: [],
    id: [],
    version: [],
    active: [],
    deleted: [],
    hash: [],
    canonical: [],
    splice: [],
  };
}

/** The stored JSON and the hash of version `i` of a batch. */
export function versionText(b: VersionBatch, i: number): { json: string; hash: string } {
  const canonical = b.canonical[i]!;
  return {
    json: storedText(canonical, b.splice[i]!, b.version[i]!, b.lastUpdated),
    hash: b.hash[i] || (canonical === '' ? '' : contentHash(canonical)),
  };
}

/** Index rows laid end to end: rowColumns(kind) values per row to open, keyColumns(kind) values to close. */
export type FlatRows = (string | number)[];

export interface CurrentState {
  readonly vid: number;
  readonly version: number;
  readonly relFrom: number;
  readonly hash: string;
  readonly active: boolean;
  readonly deleted: boolean;
}

/**
 * A write transaction holding the release lock. Bulk methods take many rows at once: SQLite runs a prepared
 * statement per row, PostgreSQL sends arrays through unnest().
 */
/**
 * The write transaction of a release. Operations run in the order they are called, each whole before the next
 * starts, whether or not the caller awaits them: a read sees every write called before it.
 */
export interface WriteSession extends SqlRunner {
  lookupCurrent(type: string, ids: readonly string[]): Promise<Map<string, CurrentState>>;
  /**
   * For each id, 1 when its resource is current, active and not deleted, else 0: what a re-import asks of
   * millions of resources it keeps, answered as bytes rather than as states (bench: import, day+1).
   */
  activeAmong(type: string, ids: readonly string[]): Promise<Uint8Array>;
  readJson(vids: readonly number[]): Promise<Map<number, string>>;
  /** Inserts new versions and makes them current. */
  insertVersions(batch: VersionBatch): Promise<void>;
  /** Rewrites versions created earlier in the same release (a resource put twice in one release). */
  rewriteVersions(batch: VersionBatch): Promise<void>;
  closeVersions(vids: readonly number[], release: number): Promise<void>;
  /** Opens rows as of `release` (a row closed earlier in the same release is reopened). */
  openIndexRows(kind: IndexKind, rows: FlatRows, release: number): Promise<void>;
  /** Closes open rows (given by their key columns) at `release`; rows opened in this release are deleted. */
  closeIndexRows(kind: IndexKind, keys: FlatRows, release: number): Promise<void>;
  /** Deletes rows (given by their key columns) closed exactly at `release` (retention purge). */
  deleteClosedIndexRows(kind: IndexKind, keys: FlatRows, release: number): Promise<number>;
  /** Writes the index document of each version (rowid = vid); `replace` for versions rewritten in a release. */
  writeDocuments(vids: readonly number[], terms: readonly string[], replace: boolean): Promise<void>;
  /** Deletes index documents (retention purge). */
  deleteDocuments(vids: readonly number[]): Promise<number>;
  /** Records ids put in this release, for absent(). */
  markSeen(type: string, ids: readonly string[]): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

export interface SqlEngine {
  readonly name: 'sqlite' | 'postgres';
  /** Where the data is, without credentials. */
  readonly location: string;
  readonly latestSchemaVersion: number;
  /** Index kinds kept as one document per version (the others as rows): see schema.ts. */
  readonly documentKinds: ReadonlySet<IndexKind>;
  /** Connection for reads; it sees committed releases only. */
  readonly reader: SqlRunner;
  /** SQL for the text at a JSON path of the column `v.json` ('' when absent); path parts are checked words. */
  jsonText(path: readonly (string | number)[]): string;
  /** SQL for the column `json` as its UTF-8 bytes where the driver gives them undecoded, else the text. */
  readonly jsonBytes: string;
  migrate(): Promise<{ from: number; to: number }>;
  schemaVersion(): Promise<number>;
  /** Begins a write transaction and takes the release lock (waits for another writer, then fails clearly). */
  beginWrite(): Promise<WriteSession>;
  /**
   * Runs one small write in a transaction of its own, outside releases (API keys); returns the rows changed.
   * On PostgreSQL it never waits for a release; on SQLite it waits for one being written, then fails clearly.
   */
  writeOne(sql: string, params?: readonly unknown[]): Promise<number>;
  close(): Promise<void>;
}
