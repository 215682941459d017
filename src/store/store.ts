/**
 * The Store port: the one way every part of Annuaire reads and writes the référentiel. Two engines implement it
 * (sqlite/, postgres/) and one contract suite (test/store-contract.ts) runs on both.
 *
 * - Resources are kept as FHIR JSON text and served as stored, without re-serialization.
 * - Every change is a new version (meta.versionId, meta.lastUpdated); all versions are kept.
 * - Writes happen in releases: a release commits all or nothing, and its number is monotonic.
 * - Search-index rows carry the release range in which they are valid, so a query can run as of a release.
 */
import type { ReleaseCounts, ReleaseReport } from '../domain/release.js';

/** A FHIR resource as a plain object. The store reads only resourceType, id, meta, active and status. */
export interface Resource {
  readonly resourceType: string;
  readonly id: string;
  readonly meta?: { readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** One row of the search index, derived from a resource by the Indexer (fhir/search). */
export type IndexEntry =
  /**
   * `type`: for an Identifier, its type as `system|code` (served to `identifier-type` and `:of-type` from the
   * identifier's own row rather than from rows of their own).
   */
  | {
      readonly kind: 'token';
      readonly code: string;
      readonly system: string;
      readonly value: string;
      readonly type?: string;
    }
  /** `norm` is the case- and accent-folded form that prefix search uses; `exact` the original text. */
  | { readonly kind: 'string'; readonly code: string; readonly norm: string; readonly exact: string }
  /** `target` is a relative reference, `Type/id`. */
  | { readonly kind: 'reference'; readonly code: string; readonly target: string }
  /** `low`/`high`: the instants the value covers, as ISO 8601 UTC strings (so they compare as text). */
  | { readonly kind: 'date'; readonly code: string; readonly low: string; readonly high: string };

export type IndexKind = IndexEntry['kind'];

/**
 * Derives the index entries of a resource. It must be a pure function of the resource: the store re-runs it on
 * an older version to find the rows that version opened. `version` changes whenever its output would change
 * for the same input, so the store can tell that its index must be rebuilt.
 */
export interface Indexer {
  readonly version: string;
  index(resource: Resource): IndexEntry[];
}

/** One stored version of a resource. */
export interface StoredVersion {
  readonly resourceType: string;
  readonly id: string;
  readonly versionId: number;
  readonly lastUpdated: string;
  /** The release that wrote this version. */
  readonly release: number;
  /** Position in the change feed: increases with every version written. */
  readonly seq: number;
  readonly active: boolean;
  readonly deleted: boolean;
  /**
   * The release that wrote the next version of the resource: this one is current in the releases from
   * `release` up to, not including, `replacedIn`. Absent while it is the current version.
   */
  readonly replacedIn?: number;
  /** The resource as FHIR JSON text, meta included; empty for a deletion. */
  readonly json: string;
  /**
   * The store's classifier's answer for this version when it was written (the perimeter's "may hold restricted
   * elements", see RawVersion); absent when unknown, and then readers test the text.
   */
  readonly flagged?: boolean;
}

/** An API key as stored: the SHA-256 of its secret, never the secret. */
export interface ApiKey {
  readonly id: string;
  readonly name: string;
  /** The perimeters it opens (the FHIR layer gives them meaning). */
  readonly scopes: readonly string[];
  readonly createdAt: string;
  readonly revokedAt?: string;
  /** Requests per second allowed to this key, when it has a limit of its own. */
  readonly rateLimit?: number;
}

export interface NewApiKey {
  readonly id: string;
  readonly name: string;
  readonly scopes: readonly string[];
  /** SHA-256 of the secret, in lower-case hex. */
  readonly secretSha256: string;
  readonly rateLimit?: number;
}

export interface Release {
  readonly id: number;
  readonly startedAt: string;
  readonly committedAt: string;
  readonly source: string;
  readonly checksums: Readonly<Record<string, string>>;
  readonly counts: ReleaseCounts;
  readonly report: ReleaseReport;
}

export interface ReleaseStart {
  /** What produced the release, e.g. `import PS_LibreAcces_202611220800.zip` or `rpps+ registration`. */
  readonly source: string;
  readonly checksums?: Readonly<Record<string, string>>;
  /** The release time, which becomes meta.lastUpdated of every version written; default now. */
  readonly timestamp?: Date;
}

export type PutOutcome = 'added' | 'changed' | 'deactivated' | 'unchanged';

export interface ResourceKey {
  readonly resourceType: string;
  readonly id: string;
}

/**
 * A unit of a source as an importer sees it (e.g. every line that describes one professional), the hash of
 * its content, and the resources it produced: when the hash is the same at the next import, the importer keeps
 * those resources instead of rebuilding and comparing them.
 */
export interface SourceUnit {
  readonly key: string;
  readonly hash: string;
  readonly resources: readonly ResourceKey[];
}

/** An open release. Nothing it writes is visible to readers until commit. */
export interface ReleaseWriter {
  readonly id: number;
  readonly timestamp: string;
  /**
   * Writes resources. One whose content (all but meta.versionId and meta.lastUpdated) is unchanged gets no new
   * version. Resources should be given in batches (a thousand or so) for speed. Calls may overlap: batches are
   * applied in the order they were given, so a bulk loader keeps two in flight (one prepared while the other
   * is written).
   */
  put(resources: readonly Resource[]): Promise<PutOutcome[]>;
  /**
   * What the given source units produced when last written (see SourceUnit), as committed or recorded earlier
   * in this release; units never recorded are absent from the map. Like keep(), activeOf() and
   * recordSourceUnits(), it runs after the writes already queued but does not wait for put() batches still
   * being prepared: a unit's resources are its own, so a loader reads ahead for the next units while it writes.
   */
  sourceUnits(keys: readonly string[]): Promise<Map<string, SourceUnit>>;
  /** Records (or replaces) source units, with the release. */
  recordSourceUnits(units: readonly SourceUnit[]): Promise<void>;
  /** Which of these resources are current and active (as `Type/id`). */
  activeOf(resources: readonly ResourceKey[]): Promise<Set<string>>;
  /**
   * Keeps current, active resources as they are in this release, without their content (the caller checked
   * them with activeOf()): they count as unchanged and are not absent().
   */
  keep(resources: readonly ResourceKey[]): Promise<void>;
  /** FHIR delete: a deletion version; the resource answers 410 after commit. False if it did not exist. */
  remove(resourceType: string, id: string): Promise<boolean>;
  /**
   * Ids of the resources of a type that are current, active and not put in this release, in batches: what a
   * full extract no longer lists, to be deactivated by the caller.
   */
  absent(resourceType: string, batchSize?: number): AsyncIterable<string[]>;
  /** Commits the release; counts not given are those the writer saw. */
  commit(summary?: { counts?: Partial<ReleaseCounts>; report?: ReleaseReport }): Promise<Release>;
  /** Abandons the release: the store is left exactly as it was. */
  rollback(): Promise<void>;
}

/** A single-parameter index lookup; the full search compiler (fhir/search) builds on the same rows. */
export type IndexMatch =
  /** An empty `value` with a `system` matches any code of that system (`system|`). */
  | {
      readonly kind: 'token';
      readonly code: string;
      readonly value: string;
      readonly system?: string;
      /** An Identifier's type, `system|code`. */
      readonly type?: string;
    }
  /** `norm` is folded like IndexEntry.norm; `exact`, when given, must also match the original text. */
  /**
   * `contains` matches a folded substring anywhere in the value; it is served from the index's dictionary of
   * values (SQLite) or a trigram index (PostgreSQL), never by reading resources.
   */
  | {
      readonly kind: 'string';
      readonly code: string;
      readonly mode: 'prefix' | 'equals' | 'contains';
      readonly norm: string;
      readonly exact?: string;
    }
  | { readonly kind: 'reference'; readonly code: string; readonly target: string };

export interface InstantRange {
  readonly low?: string;
  readonly high?: string;
}

/** One condition of a search; a query holds when all of its conditions hold. */
export type SearchCondition =
  /** At least one of the lookups matches (none when `any` is empty); with `not`, none does. */
  | { readonly kind: 'match'; readonly any: readonly IndexMatch[]; readonly not?: boolean }
  | { readonly kind: 'id'; readonly ids: readonly string[]; readonly not?: boolean }
  | { readonly kind: 'active'; readonly value: boolean }
  /**
   * meta.lastUpdated within one of the ranges (`low` included, `high` excluded, either open; ISO 8601 UTC
   * instants, compared as text); with `not`, within none.
   */
  | { readonly kind: 'lastUpdated'; readonly ranges: readonly InstantRange[]; readonly not?: boolean }
  /**
   * A chain: the reference parameter `code` points to a resource of `targetType` that matches `where`
   * (`PractitionerRole?organization.address-city=lyon`). Compiled as a join, as of the same release.
   */
  | {
      readonly kind: 'refersTo';
      readonly code: string;
      readonly targetType: string;
      readonly where: readonly SearchCondition[];
    }
  /**
   * A reverse chain: a resource of `sourceType` that matches `where` points here through its reference
   * parameter `code` (`Practitioner?_has:PractitionerRole:practitioner:role=…`).
   */
  | {
      readonly kind: 'referencedBy';
      readonly sourceType: string;
      readonly code: string;
      readonly where: readonly SearchCondition[];
    }
  /** The resource has (or, `present: false`, lacks) any index entry of a parameter. */
  | { readonly kind: 'present'; readonly code: string; readonly index: IndexKind; readonly present: boolean };

/**
 * The order of results. `natural` lets the engine take the order its index gives for free (it is stable for
 * a given query and release); `text` orders by the string at a JSON path of the resource, e.g. name.0.family.
 */
export type SearchSort =
  | { readonly by: 'natural' }
  | { readonly by: 'id' | 'seq'; readonly desc?: boolean }
  | { readonly by: 'text'; readonly path: readonly (string | number)[]; readonly desc?: boolean };

export interface SearchQuery {
  readonly resourceType: string;
  readonly where: readonly SearchCondition[];
  /** The release the search runs as of: a paged search passes the release of its first page. */
  readonly asOf: number;
  readonly sort?: SearchSort;
  /** The position after which this page starts: a page's `after` (keyset paging). */
  readonly after?: string;
  /** The position before which this page ends: a page's `before` (paging backwards). */
  readonly before?: string;
  /** The last page: the last `limit` matches (without `after` or `before`). */
  readonly fromEnd?: boolean;
  readonly limit: number;
}

export interface SearchPage {
  readonly versions: StoredVersion[];
  /** Where the next page starts, when there may be one. */
  readonly after?: string;
  /** Where the previous page ends, when there may be one. */
  readonly before?: string;
}

export interface ReadOptions {
  /** Read as of this release (default: the latest committed release). */
  readonly asOf?: number;
}

export interface ChangesQuery {
  readonly resourceType?: string;
  readonly id?: string;
  /** Only versions with seq greater than this (keyset cursor, oldest first). */
  readonly afterSeq?: number;
  /** Newest first (FHIR's order for _history), from the versions with seq lower than `beforeSeq`. */
  readonly newestFirst?: boolean;
  readonly beforeSeq?: number;
  /** Only versions written by releases committed at or after this instant. */
  readonly since?: Date;
  /** Only versions visible as of this release (pins a paged feed). */
  readonly upToRelease?: number;
  readonly limit: number;
}

export interface ScanQuery {
  /** The types scanned, together (one pass over the versions, whatever their number). */
  readonly resourceTypes: readonly string[];
  /** The release the scan runs as of. */
  readonly asOf: number;
  /** Keyset: the seq after which this page starts. */
  readonly afterSeq?: number;
  /** Only versions written by this release or a later one (an incremental export's `_since`). */
  readonly sinceRelease?: number;
  readonly limit: number;
}

/** A current version as a scan gives it: its JSON as UTF-8 bytes, never decoded. */
export interface RawVersion {
  readonly resourceType: string;
  readonly id: string;
  /** Position in the change feed (the scan's order and keyset). */
  readonly seq: number;
  /** The store's classifier's answer for this version when it was written; absent when unknown. */
  readonly flagged?: boolean;
  /** The release that wrote this version. */
  readonly release: number;
  readonly active: boolean;
  readonly json: Buffer;
}

export interface StoreInfo {
  readonly engine: 'sqlite' | 'postgres';
  readonly location: string;
  readonly schemaVersion: number;
  readonly latestSchemaVersion: number;
  readonly releases: number;
  readonly currentRelease: number;
  /** Releases at or below this one can no longer be searched as of (their closed index rows were purged). */
  readonly purgedThrough: number;
  /** Current resources per type: all, and how many are active. */
  readonly counts: Readonly<Record<string, { total: number; active: number }>>;
  readonly indexerVersion?: string;
}

export interface Store {
  readonly engine: 'sqlite' | 'postgres';
  /** Applies pending schema migrations; returns the schema version before and after. */
  migrate(): Promise<{ from: number; to: number }>;
  info(): Promise<StoreInfo>;
  /** The latest committed release, 0 for an empty store. */
  currentRelease(): Promise<number>;
  releases(): Promise<Release[]>;
  release(id: number): Promise<Release | undefined>;
  /** The version current as of a release (deletions included, so callers can answer 410). */
  read(resourceType: string, id: string, options?: ReadOptions): Promise<StoredVersion | undefined>;
  vread(resourceType: string, id: string, versionId: number): Promise<StoredVersion | undefined>;
  /** All versions of a resource, newest first. */
  history(resourceType: string, id: string): Promise<StoredVersion[]>;
  /** The change feed: versions in seq order, oldest first (or newest first). */
  changes(query: ChangesQuery): Promise<StoredVersion[]>;
  /** Ids matching one index lookup, sorted, as of a release. */
  find(resourceType: string, match: IndexMatch, options?: ReadOptions): Promise<string[]>;
  /**
   * A page of the resources matching a query, as of a release, keyset-paged (no OFFSET: a page costs the same
   * wherever it is). Throws AnnuaireError 400 for a release that does not exist, 410 for one past retention.
   */
  search(query: SearchQuery): Promise<SearchPage>;
  /** The ids of the first `limit` matches of a query, without their content (chains, hierarchies). */
  ids(query: SearchQuery): Promise<string[]>;
  /**
   * The current versions of some types as of a release (deletions left out), in seq order after `afterSeq`,
   * their JSON as stored and undecoded: what a bulk export writes out, without a decode and re-encode per
   * resource. Seq order is the order versions were written in, so the scan reads the versions table in its
   * physical order (one sequential pass, where id order seeks once per resource), and `sinceRelease` starts at
   * that release's first version instead of reading every version to filter them.
   * Throws like search() for a release that does not exist or is past retention.
   */
  scan(query: ScanQuery): Promise<RawVersion[]>;
  /** How many resources match a query (its `after`, `limit` and `sort` are ignored). */
  count(query: SearchQuery): Promise<number>;
  /** Opens a release. Only one release is written at a time: a second writer waits, then fails clearly. */
  beginRelease(start: ReleaseStart): Promise<ReleaseWriter>;
  /**
   * Keeps searches as of the last `keepReleases` releases possible and deletes the index rows only older
   * snapshots need. Versions are never purged. Queries as of an older release are refused afterwards.
   */
  purge(options: { keepReleases: number }): Promise<{ purgedThrough: number; rows: number }>;
  /**
   * Rebuilds the search index of every version with this program's indexer (needed when the indexer changed:
   * a release is refused until then). Takes the release lock; one transaction.
   */
  reindex(progress?: (versions: number) => void): Promise<{ versions: number }>;
  /**
   * Stores an API key. Key writes are not releases: on PostgreSQL they never wait for one; on SQLite (one
   * writer at a time) one waits for a release being written, then fails clearly. Throws 409 on an id or hash
   * already stored.
   */
  createApiKey(key: NewApiKey): Promise<ApiKey>;
  /** Every key, revoked ones included, oldest first. */
  apiKeys(): Promise<ApiKey[]>;
  /** The key whose secret has this SHA-256, revoked or not; undefined when there is none. */
  apiKeyBySecretSha256(secretSha256: string): Promise<ApiKey | undefined>;
  /** Revokes a key (once: a second call keeps the first date); undefined when there is no such key. */
  revokeApiKey(id: string): Promise<ApiKey | undefined>;
  close(): Promise<void>;
}
