/**
 * The Store, written once over an SqlEngine. Reads go through the engine's reader connection, which sees
 * committed releases only; writes go through a SqlReleaseWriter.
 */
import { AnnuaireError } from '../../error.js';
import type {
  ApiKey,
  ChangesQuery,
  Indexer,
  IndexMatch,
  NewApiKey,
  RawVersion,
  ReadOptions,
  Release,
  ReleaseStart,
  ReleaseWriter,
  ScanQuery,
  SearchPage,
  SearchQuery,
  Store,
  StoreInfo,
  StoredVersion,
} from '../store.js';
import type { SqlEngine, SqlRunner } from './engine.js';
import { INDEX_TABLES, OPEN } from './index-rows.js';
import { matchQuery } from './index-terms.js';
import { readMeta } from './meta.js';
import { purgeThrough } from './purge.js';
import { SqlReleaseWriter } from './release-writer.js';
import { reindex } from './reindex.js';
import { compileSearch, pageSql, positionOf, type CompiledSearch } from './search-sql.js';
import { SEARCH_LOOKUPS_SCHEMA, VERSION_FLAG_SCHEMA } from './schema.js';
import { ValueDictionary } from './value-dictionary.js';
import {
  API_KEY_COLUMNS,
  toApiKey,
  toRelease,
  toStoredVersion,
  versionColumns,
  type ApiKeyDbRow,
  type ReleaseDbRow,
  type VersionDbRow,
} from './rows.js';

interface VersionReads {
  /** The version columns, and the same prefixed with the alias `v`. */
  readonly columns: string;
  readonly prefixed: string;
  readonly current: string;
  readonly asOf: string;
  readonly version: string;
  readonly history: string;
}

/** How long the purge horizon read by a snapshot check is trusted (see #purgedThrough). */
const PURGE_HORIZON_TTL_MS = 1000;

/** Highest code point, appended to a prefix to bound a range scan (text compares bytewise in both engines). */
const PREFIX_END = '\u{10FFFF}';

export class SqlStore implements Store {
  readonly #engine: SqlEngine;
  readonly #indexer: Indexer;
  /** Value dictionaries for `:contains`, by release and parameter (see value-dictionary.ts). */
  readonly #values = new Map<string, Promise<ValueDictionary>>();
  /** Whether the store has migration 0007's lookups (see search-sql.ts), asked once. */
  #searchLookups: Promise<boolean> | undefined;
  #versionFlags: Promise<boolean> | undefined;
  #purged: { value: number; readAt: number } | undefined;
  /** The latest release this store has seen committed (see #snapshot). */
  #latestSeen = 0;
  /** Search parameter ids found so far: a parameter's id never changes once given (search_param). */
  readonly #pids = new Map<string, number>();
  /** The SQL of the version reads, with or without the stored flag (see #reads()). */
  #readSql: Promise<VersionReads> | undefined;
  /** The same once known: a read by id then starts its query without waiting a turn. */
  #readSqlKnown: VersionReads | undefined;
  /** Counts by release and query (see count()). */
  readonly #counts = new Map<string, number>();

  constructor(engine: SqlEngine, indexer: Indexer) {
    this.#engine = engine;
    this.#indexer = indexer;
  }

  get engine(): 'sqlite' | 'postgres' {
    return this.#engine.name;
  }

  async migrate(): Promise<{ from: number; to: number }> {
    const done = await this.#engine.migrate();
    // What the schema has is asked again after a migration.
    this.#versionFlags = undefined;
    this.#readSql = undefined;
    this.#readSqlKnown = undefined;
    return done;
  }

  /** Whether versions carry their stored flag (migration 0008); a store served before `db init` has none. */
  #hasFlags(): Promise<boolean> {
    return (this.#versionFlags ??= this.#engine.schemaVersion().then((v) => v >= VERSION_FLAG_SCHEMA));
  }

  /** The version reads' SQL, written once: a read by id is the API's hottest path (bench: api). */
  #reads(): Promise<VersionReads> {
    return (this.#readSql ??= this.#hasFlags().then((flags): VersionReads => {
      const cols = versionColumns(flags);
      const prefixed = versionColumns(flags, 'v');
      const reads: VersionReads = {
        prefixed,
        current: `SELECT ${prefixed} FROM resource_current c JOIN resource_version v ON v.vid = c.vid
                   WHERE c.type = ? AND c.id = ?`,
        asOf: `SELECT ${cols} FROM resource_version WHERE type = ? AND id = ? AND rel_from <= ? AND rel_to > ?`,
        version: `SELECT ${cols} FROM resource_version WHERE type = ? AND id = ? AND version = ?`,
        history: `SELECT ${cols} FROM resource_version WHERE type = ? AND id = ? ORDER BY version DESC`,
        columns: cols,
      };
      this.#readSqlKnown = reads;
      return reads;
    }));
  }

  async info(): Promise<StoreInfo> {
    const db = this.#engine.reader;
    const schemaVersion = await this.#engine.schemaVersion();
    const base = {
      engine: this.#engine.name,
      location: this.#engine.location,
      schemaVersion,
      latestSchemaVersion: this.#engine.latestSchemaVersion,
    };
    if (schemaVersion === 0) {
      return { ...base, releases: 0, currentRelease: 0, purgedThrough: 0, counts: {} };
    }
    const releases = await db.get<{ n: number | string; last: number | null }>(
      'SELECT count(*) AS n, max(id) AS last FROM release',
    );
    const counts = await db.all<{ type: string; total: number | string; active: number | string }>(
      `SELECT type, count(*) AS total, sum(active) AS active FROM resource_current WHERE deleted = 0
        GROUP BY type ORDER BY type`,
    );
    const indexerVersion = await readMeta(db, 'indexer_version');
    return {
      ...base,
      releases: Number(releases?.n ?? 0),
      currentRelease: Number(releases?.last ?? 0),
      purgedThrough: Number((await readMeta(db, 'purged_through')) ?? 0),
      counts: Object.fromEntries(
        counts.map((c) => [c.type, { total: Number(c.total), active: Number(c.active) }]),
      ),
      ...(indexerVersion ? { indexerVersion } : {}),
    };
  }

  async currentRelease(): Promise<number> {
    const row = await this.#engine.reader.get<{ n: number }>('SELECT coalesce(max(id), 0) AS n FROM release');
    return Number(row?.n ?? 0);
  }

  async releases(): Promise<Release[]> {
    const rows = await this.#engine.reader.all<ReleaseDbRow>(
      'SELECT id, started_at, committed_at, source, checksums, counts, report FROM release ORDER BY id',
    );
    return rows.map(toRelease);
  }

  async release(id: number): Promise<Release | undefined> {
    const row = await this.#engine.reader.get<ReleaseDbRow>(
      'SELECT id, started_at, committed_at, source, checksums, counts, report FROM release WHERE id = ?',
      [id],
    );
    return row && toRelease(row);
  }

  async read(
    resourceType: string,
    id: string,
    options: ReadOptions = {},
  ): Promise<StoredVersion | undefined> {
    const db = this.#engine.reader;
    const sql = this.#readSqlKnown ?? (await this.#reads());
    const row =
      options.asOf === undefined
        ? await db.get<VersionDbRow>(sql.current, [resourceType, id])
        : await db.get<VersionDbRow>(sql.asOf, [resourceType, id, options.asOf, options.asOf]);
    return row && toStoredVersion(row);
  }

  async vread(resourceType: string, id: string, versionId: number): Promise<StoredVersion | undefined> {
    const row = await this.#engine.reader.get<VersionDbRow>((await this.#reads()).version, [
      resourceType,
      id,
      versionId,
    ]);
    return row && toStoredVersion(row);
  }

  async history(resourceType: string, id: string): Promise<StoredVersion[]> {
    const rows = await this.#engine.reader.all<VersionDbRow>((await this.#reads()).history, [
      resourceType,
      id,
    ]);
    return rows.map(toStoredVersion);
  }

  async changes(query: ChangesQuery): Promise<StoredVersion[]> {
    const where = query.newestFirst ? ['vid < ?'] : ['vid > ?'];
    const params: unknown[] = [
      query.newestFirst ? (query.beforeSeq ?? Number.MAX_SAFE_INTEGER) : (query.afterSeq ?? 0),
    ];
    const add = (condition: string, value: unknown): void => {
      where.push(condition);
      params.push(value);
    };
    if (query.resourceType !== undefined) {
      add('type = ?', query.resourceType);
    }
    if (query.id !== undefined) {
      add('id = ?', query.id);
    }
    if (query.upToRelease !== undefined) {
      add('rel_from <= ?', query.upToRelease);
    }
    if (query.since !== undefined) {
      // Versions written by releases committed at or after `since`: their vids start at that release's first_vid.
      add(
        'vid >= (SELECT coalesce(min(first_vid), 9007199254740991) FROM release WHERE committed_at >= ?)',
        query.since.toISOString(),
      );
    }
    params.push(query.limit);
    const rows = await this.#engine.reader.all<VersionDbRow>(
      `SELECT ${(await this.#reads()).columns} FROM resource_version WHERE ${where.join(' AND ')}
        ORDER BY vid ${query.newestFirst ? 'DESC' : 'ASC'} LIMIT ?`,
      params,
    );
    return rows.map(toStoredVersion);
  }

  async find(resourceType: string, match: IndexMatch, options: ReadOptions = {}): Promise<string[]> {
    const db = this.#engine.reader;
    const asOf = await this.#snapshot(options.asOf);
    const param = await db.get<{ pid: number }>(
      'SELECT pid FROM search_param WHERE type = ? AND code = ? AND kind = ?',
      [resourceType, match.code, match.kind],
    );
    if (!param) {
      return [];
    }
    // Token systems and identifier types are stored as dictionary ids: an unknown one matches nothing.
    const sid =
      match.kind === 'token' && match.system !== undefined ? await dictionaryId(db, match.system) : undefined;
    // Identifier types are dictionary ids in index documents, plain text in index rows.
    const documents = this.#engine.documentKinds.has(match.kind);
    const tid =
      documents && match.kind === 'token' && match.type !== undefined
        ? await dictionaryId(db, match.type)
        : undefined;
    if (sid === null || tid === null) {
      return [];
    }
    if (documents) {
      const docs = await db.all<{ id: string }>(
        `SELECT DISTINCT v.id FROM search_doc JOIN resource_version v ON v.vid = search_doc.rowid
          WHERE search_doc MATCH ? AND v.rel_from <= ? AND v.rel_to > ? ORDER BY v.id`,
        [matchQuery(param.pid, match, sid, tid), asOf, asOf],
      );
      return docs.map((r) => r.id);
    }
    const { table } = INDEX_TABLES[match.kind];
    const [cond, values] = matchCondition(match);
    if (sid !== undefined) {
      values.push(sid);
    }
    const rows = await db.all<{ id: string }>(
      `SELECT DISTINCT id FROM ${table} WHERE pid = ? AND ${cond} AND rel_from <= ? AND rel_to > ? ORDER BY id`,
      [param.pid, ...values, asOf, asOf],
    );
    return rows.map((r) => r.id);
  }

  async ids(query: SearchQuery): Promise<string[]> {
    const compiled = await this.#compile(query);
    if (compiled === undefined) {
      return [];
    }
    const page = pageSql(compiled, undefined, false, Math.max(0, Math.floor(query.limit)));
    const rows = await this.#engine.reader.all<{ id: string }>(`SELECT v.id ${page.sql}`, page.params);
    return rows.map((r) => r.id);
  }

  async search(query: SearchQuery): Promise<SearchPage> {
    const compiled = await this.#compile(query);
    if (compiled === undefined) {
      return { versions: [] };
    }
    const limit = Math.max(0, Math.floor(query.limit));
    const backwards = query.before !== undefined || (query.fromEnd === true && query.after === undefined);
    const page = pageSql(compiled, query.before ?? query.after, backwards, limit + 1);
    const cols = (await this.#reads()).prefixed;
    const sortKey = compiled.order.sort.by === 'text' ? `, ${compiled.order.key} AS sort_key` : '';
    const rows = await this.#engine.reader.all<VersionDbRow & { sort_key?: string }>(
      `SELECT ${cols}${sortKey} ${page.sql}`,
      page.params,
    );
    const more = rows.length > limit;
    const kept = more ? rows.slice(0, limit) : rows;
    if (backwards) {
      kept.reverse();
    }
    const first = kept[0];
    const last = kept.at(-1);
    // Forwards, rows exist before a page that starts after a position; backwards, after one that ends before.
    const hasAfter = backwards ? query.before !== undefined : more;
    const hasBefore = backwards ? more : query.after !== undefined;
    return {
      versions: kept.map(toStoredVersion),
      ...(hasAfter && last ? { after: positionOf(compiled, last) } : {}),
      ...(hasBefore && first ? { before: positionOf(compiled, first) } : {}),
    };
  }

  async scan(query: ScanQuery): Promise<RawVersion[]> {
    const asOf = await this.#snapshot(query.asOf);
    if (query.resourceTypes.length === 0 || (query.sinceRelease ?? 0) === Infinity) {
      return [];
    }
    let after = query.afterSeq ?? 0;
    if (query.sinceRelease !== undefined && query.sinceRelease > 1) {
      // Seqs grow release after release: the versions of `sinceRelease` and later start at its first seq.
      const first = await this.#engine.reader.get<{ vid: number | string | null }>(
        'SELECT min(first_vid) AS vid FROM release WHERE id >= ?',
        [query.sinceRelease],
      );
      after = Math.max(after, first?.vid === null || first === undefined ? Infinity : Number(first.vid) - 1);
      if (!Number.isFinite(after)) {
        return [];
      }
    }
    // A store of an older schema served before `annuaire db init` has no flags: readers work them out.
    const flagged = (await this.#hasFlags()) ? 'flagged' : 'NULL AS flagged';
    // `type || ''`: the type is a filter, not a key. As a key, the engines read the types' versions by id and
    // sort them all for every page; the scan must walk the versions by seq, from `after` on, and stop at the
    // page's end.
    const rows = await this.#engine.reader.all<{
      vid: number | string;
      type: string;
      id: string;
      rel_from: number;
      active: number;
      flagged: number | null;
      json: Buffer | string;
    }>(
      `SELECT vid, type, id, rel_from, active, ${flagged}, ${this.#engine.jsonBytes} AS json FROM resource_version
        WHERE vid > ? AND type || '' IN (${query.resourceTypes.map(() => '?').join(', ')})
          AND rel_from <= ? AND rel_to > ? AND rel_from >= ? AND deleted = 0
        ORDER BY vid LIMIT ?`,
      [
        after,
        ...query.resourceTypes,
        asOf,
        asOf,
        query.sinceRelease ?? 0,
        Math.max(0, Math.floor(query.limit)),
      ],
    );
    return rows.map((r) => ({
      resourceType: r.type,
      id: r.id,
      seq: Number(r.vid),
      release: Number(r.rel_from),
      active: Boolean(r.active),
      ...(r.flagged === null ? {} : { flagged: Number(r.flagged) === 1 }),
      json: typeof r.json === 'string' ? Buffer.from(r.json) : r.json,
    }));
  }

  async count(query: SearchQuery): Promise<number> {
    const compiled = await this.#compile(query);
    if (compiled === undefined) {
      return 0;
    }
    // A count as of a committed release never changes: it is kept (a bounded map, emptied when full).
    const key = `${query.asOf}\u0000${compiled.body}\u0000${JSON.stringify(compiled.params)}`;
    const known = this.#counts.get(key);
    if (known !== undefined) {
      return known;
    }
    const db = this.#engine.reader;
    let n: number | undefined;
    if (compiled.unfiltered) {
      // Every resource of the type as of the latest release: the narrow table of current versions counts them.
      const row = await db.get<{ n: number | string }>(
        `SELECT CASE WHEN (SELECT coalesce(max(id), 0) FROM release) <> ? THEN -1
          ELSE (SELECT count(*) FROM resource_current WHERE type = ? AND deleted = 0) END AS n`,
        [query.asOf, query.resourceType],
      );
      n = row && Number(row.n) >= 0 ? Number(row.n) : undefined;
    } else if (compiled.vidsOnly !== undefined) {
      // The list holds every version that matched: all visible ones when none was ever replaced.
      const row = await db.get<{ n: number }>(
        `SELECT CASE WHEN (SELECT coalesce(max(id), 0) FROM release) <> ?
            OR EXISTS (SELECT 1 FROM resource_version INDEXED BY resource_version_closed
                        WHERE type = ? AND rel_to < ${OPEN})
          THEN -1 ELSE ? END AS n`,
        [query.asOf, query.resourceType, compiled.vidsOnly],
      );
      n = row && row.n >= 0 ? Number(row.n) : undefined;
    } else if (compiled.ftsOnly !== undefined) {
      // When the release is the latest and no version of the type was ever replaced, every document of the
      // type is a visible version: the index alone counts the matches (no join, milliseconds for 100,000s).
      // One statement, so one snapshot.
      const row = await db.get<{ n: number }>(
        `SELECT CASE WHEN (SELECT coalesce(max(id), 0) FROM release) <> ?
            OR EXISTS (SELECT 1 FROM resource_version INDEXED BY resource_version_closed
                        WHERE type = ? AND rel_to < ${OPEN})
          THEN -1 ELSE (SELECT count(*) FROM search_doc WHERE search_doc MATCH ?) END AS n`,
        [query.asOf, query.resourceType, compiled.ftsOnly],
      );
      n = row && row.n >= 0 ? Number(row.n) : undefined;
    }
    if (n === undefined) {
      const row = await db.get<{ n: number | string }>(
        `SELECT count(*) AS n ${compiled.body}`,
        compiled.params,
      );
      n = Number(row?.n ?? 0);
    }
    if (this.#counts.size >= 1000) {
      this.#counts.clear();
    }
    this.#counts.set(key, n);
    return n;
  }

  async #compile(query: SearchQuery): Promise<CompiledSearch | undefined> {
    const asOf = await this.#snapshot(query.asOf);
    const db = this.#engine.reader;
    const engine = this.#engine;
    const values = this.#values;
    // A store imported by an older version and served before `annuaire db init` lacks them: searches then
    // take the table (slower, same results) until the server restarts on the migrated store.
    this.#searchLookups ??= engine.schemaVersion().then((v) => v >= SEARCH_LOOKUPS_SCHEMA);
    const lookups = await this.#searchLookups;
    return compileSearch(
      {
        db,
        documents: engine.documentKinds,
        lookups,
        jsonText: (path) => engine.jsonText(path),
        pid: async (type, code, kind) => {
          const key = `${type} ${code} ${kind}`;
          const known = this.#pids.get(key);
          if (known !== undefined) {
            return known;
          }
          // Not cached when absent: a later release may register it.
          const pid = (
            await db.get<{ pid: number }>(
              'SELECT pid FROM search_param WHERE type = ? AND code = ? AND kind = ?',
              [type, code, kind],
            )
          )?.pid;
          if (pid !== undefined) {
            this.#pids.set(key, pid);
          }
          return pid;
        },
        sid: async (value) => (await dictionaryId(db, value)) ?? undefined,
        rowids: async (expressions, slice) => {
          const vids = new Set<number>();
          for (let i = 0; i < expressions.length; i += slice) {
            const rows = await db.all<{ rowid: number }>(
              'SELECT rowid FROM search_doc WHERE search_doc MATCH ?',
              [expressions.slice(i, i + slice).join(' OR ')],
            );
            rows.forEach((r) => vids.add(Number(r.rowid)));
          }
          return [...vids].sort((a, b) => a - b);
        },
        terms: async (prefix) => {
          // The dictionary of a parameter is kept until a release commits (the key carries the release).
          const current = await this.currentRelease();
          const key = `${current}:${prefix}`;
          let d = values.get(key);
          if (!d) {
            d = ValueDictionary.load(db, prefix);
            for (const k of values.keys()) {
              if (!k.startsWith(`${current}:`)) {
                values.delete(k);
              }
            }
            values.set(key, d);
          }
          return d;
        },
      },
      { ...query, asOf },
    );
  }

  beginRelease(start: ReleaseStart): Promise<ReleaseWriter> {
    return SqlReleaseWriter.begin(this.#engine, this.#indexer, start);
  }

  async purge(options: { keepReleases: number }): Promise<{ purgedThrough: number; rows: number }> {
    if (!Number.isInteger(options.keepReleases) || options.keepReleases < 1) {
      throw new AnnuaireError(
        400,
        'invalid',
        'keepReleases must be a whole number of at least 1',
        'keepReleases',
      );
    }
    const horizon = (await this.currentRelease()) - options.keepReleases;
    const done = await purgeThrough(this.#engine, this.#indexer, horizon);
    // This store sees its own purge at once.
    this.#purged = undefined;
    return done;
  }

  reindex(progress?: (versions: number) => void): Promise<{ versions: number }> {
    return reindex(this.#engine, this.#indexer, progress);
  }

  async createApiKey(key: NewApiKey): Promise<ApiKey> {
    if (key.scopes.some((s) => s === '' || s.includes(','))) {
      throw new AnnuaireError(400, 'invalid', `scopes must be words (got ${key.scopes.join(', ')})`);
    }
    try {
      await this.#engine.writeOne(
        `INSERT INTO api_key (id, name, scopes, secret_sha256, created_at, rate_limit)
          VALUES (?, ?, ?, ?, ?, ?)`,
        [
          key.id,
          key.name,
          key.scopes.join(','),
          key.secretSha256,
          new Date().toISOString(),
          key.rateLimit ?? null,
        ],
      );
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (code === '23505' || (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT'))) {
        throw new AnnuaireError(409, 'conflict', `an API key with id ${key.id} or the same secret exists`);
      }
      throw e;
    }
    return (await this.#apiKey('id', key.id))!;
  }

  async apiKeys(): Promise<ApiKey[]> {
    const rows = await this.#engine.reader.all<ApiKeyDbRow>(
      `SELECT ${API_KEY_COLUMNS} FROM api_key ORDER BY created_at, id`,
    );
    return rows.map(toApiKey);
  }

  apiKeyBySecretSha256(secretSha256: string): Promise<ApiKey | undefined> {
    return this.#apiKey('secret_sha256', secretSha256);
  }

  async revokeApiKey(id: string): Promise<ApiKey | undefined> {
    await this.#engine.writeOne('UPDATE api_key SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [
      new Date().toISOString(),
      id,
    ]);
    return this.#apiKey('id', id);
  }

  async #apiKey(column: 'id' | 'secret_sha256', value: string): Promise<ApiKey | undefined> {
    const row = await this.#engine.reader.get<ApiKeyDbRow>(
      `SELECT ${API_KEY_COLUMNS} FROM api_key WHERE ${column} = ?`,
      [value],
    );
    return row && toApiKey(row);
  }

  close(): Promise<void> {
    return this.#engine.close();
  }

  /** The release a query runs as of: the one asked for, if it is committed and not purged, else the latest. */
  /**
   * The purge horizon, read again at most every PURGE_HORIZON_TTL_MS: a page runs up to a hundred queries as of
   * one snapshot. A purge that lands meanwhile is seen a second late, as a query already running would race it.
   */
  async #purgedThrough(): Promise<number> {
    const now = Date.now();
    if (this.#purged === undefined || now - this.#purged.readAt > PURGE_HORIZON_TTL_MS) {
      const value = Number((await readMeta(this.#engine.reader, 'purged_through')) ?? 0);
      this.#purged = { value, readAt: now };
    }
    return this.#purged.value;
  }

  async #snapshot(asOf: number | undefined): Promise<number> {
    // A release, once committed, stays: a snapshot at or below the latest seen needs no new look (a page with
    // _revinclude runs a hundred queries as of the same release).
    const known = asOf !== undefined && Number.isInteger(asOf) && asOf >= 0 && asOf <= this.#latestSeen;
    const current = known ? this.#latestSeen : await this.currentRelease();
    this.#latestSeen = Math.max(this.#latestSeen, current);
    if (asOf === undefined) {
      return current;
    }
    if (!Number.isInteger(asOf) || asOf < 0 || asOf > current) {
      throw new AnnuaireError(400, 'invalid', `release ${asOf} does not exist (latest is ${current})`);
    }
    const purged = await this.#purgedThrough();
    if (asOf <= purged) {
      throw new AnnuaireError(
        410,
        'processing',
        `the snapshot of release ${asOf} is past the retention period`,
      );
    }
    return asOf;
  }
}

/** The dictionary id of a token system or identifier type; null when the store has never seen it. */
async function dictionaryId(db: SqlRunner, value: string): Promise<number | null> {
  const row = await db.get<{ sid: number }>('SELECT sid FROM token_system WHERE system = ?', [value]);
  return row ? row.sid : null;
}

function matchCondition(match: IndexMatch): [string, unknown[]] {
  switch (match.kind) {
    case 'token': {
      // The sid of match.system, when given, is appended by the caller.
      const cond = ['value = ?'];
      const values: unknown[] = [match.value];
      if (match.type !== undefined) {
        cond.push('type = ?');
        values.push(match.type);
      }
      if (match.system !== undefined) {
        cond.push('sid = ?');
      }
      return [cond.join(' AND '), values];
    }
    case 'string':
      if (match.mode === 'prefix') {
        return ['norm >= ? AND norm < ?', [match.norm, match.norm + PREFIX_END]];
      }
      return match.exact === undefined
        ? ['norm = ?', [match.norm]]
        : ['norm = ? AND exact = ?', [match.norm, match.exact]];
    case 'reference':
      return ['target = ?', [match.target]];
  }
}
