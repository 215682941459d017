/**
 * The write path of a release, shared by both engines: detects unchanged content by hash, writes new versions,
 * closes the index rows a version drops and opens those it adds, and commits everything in one transaction.
 */
import { emptyCounts, type ReleaseCounts, type ReleaseReport } from '../../domain/release.js';
import { AnnuaireError, invalid } from '../../error.js';
import type {
  Indexer,
  IndexEntry,
  IndexKind,
  PutOutcome,
  Release,
  ReleaseStart,
  ReleaseWriter,
  Resource,
  ResourceKey,
  SourceUnit,
} from '../store.js';
import {
  emptyVersionBatch,
  type CurrentState,
  type SqlEngine,
  type VersionBatch,
  type WriteSession,
} from './engine.js';
import { entryRow, flatten, INDEX_KINDS, IndexRowSet, keyColumns } from './index-rows.js';
import { resourceContent, type ResourceContent } from './resource-text.js';
import { ParamIds } from './search-params.js';
import { toRelease, type ReleaseDbRow } from './rows.js';
import { readMeta, writeMeta } from './meta.js';
import { addTerms } from './index-terms.js';

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** Source units per statement: 4 values each, well under the engines' bound-parameter limits. */
const UNIT_BATCH = 250;

/** A unit's resources as stored: `Type/id` separated by spaces (ids and types have no spaces). */
const encodeKeys = (keys: readonly ResourceKey[]): string =>
  keys.map((k) => `${k.resourceType}/${k.id}`).join(' ');
const decodeKeys = (text: string): ResourceKey[] =>
  text === ''
    ? []
    : text.split(' ').map((k) => {
        const slash = k.indexOf('/');
        return { resourceType: k.slice(0, slash), id: k.slice(slash + 1) };
      });

interface Pending {
  readonly resource: Resource;
  readonly key: string;
}

/** A new version's index: its rows (kinds kept as rows) and its document (kinds kept as documents). */
interface VersionIndex {
  readonly rows: IndexRowSet;
  readonly terms: string;
}

interface Prepared {
  readonly batch: readonly Pending[];
  readonly contents: readonly ResourceContent[];
  /** The index of each resource, when it was computed ahead (see #prepare). */
  readonly indexes?: readonly VersionIndex[];
}

export class SqlReleaseWriter implements ReleaseWriter {
  readonly #session: WriteSession;
  readonly #indexer: Indexer;
  /** Kinds indexed as one document per version; the others as rows with release ranges. */
  readonly #documentKinds: ReadonlySet<IndexKind>;
  readonly #rowKinds: readonly IndexKind[];
  readonly #params: ParamIds;
  readonly #start: ReleaseStart;
  readonly #startedAt: string;
  #nextVid: number;
  #firstVid: number;
  #counts: Record<keyof ReleaseCounts, number> = { ...emptyCounts() };
  #state: 'open' | 'failed' | 'done' = 'open';
  #pending: Promise<void>[] = [];
  #failure: Error | undefined;
  /** The decide stage of the last batch given to put(): the next one runs after it. */
  #queue: Promise<void> = Promise.resolve();
  /**
   * Whether batches are indexed as soon as they are given (#prepare), before it is known which resources
   * changed: true while most of what is put gets written (a first load), false while most is unchanged (a
   * re-import), decided by the last batch.
   */
  #indexAhead = true;

  private constructor(
    readonly id: number,
    readonly timestamp: string,
    session: WriteSession,
    indexer: Indexer,
    params: ParamIds,
    start: ReleaseStart,
    nextVid: number,
    documentKinds: ReadonlySet<IndexKind>,
  ) {
    this.#session = session;
    this.#documentKinds = documentKinds;
    this.#rowKinds = INDEX_KINDS.filter((k) => !documentKinds.has(k));
    this.#indexer = indexer;
    this.#params = params;
    this.#start = start;
    this.#startedAt = new Date().toISOString();
    this.#nextVid = nextVid;
    this.#firstVid = nextVid;
  }

  static async begin(engine: SqlEngine, indexer: Indexer, start: ReleaseStart): Promise<SqlReleaseWriter> {
    const session = await engine.beginWrite();
    try {
      const indexedWith = await readMeta(session, 'indexer_version');
      if (indexedWith !== undefined && indexedWith !== indexer.version) {
        throw new AnnuaireError(
          409,
          'conflict',
          `the search index was built by indexer ${indexedWith}, this program has ${indexer.version}: run "annuaire db reindex"`,
        );
      }
      if (indexedWith === undefined) {
        await writeMeta(session, 'indexer_version', indexer.version);
      }
      const last = await session.get<{ n: number }>('SELECT coalesce(max(id), 0) AS n FROM release');
      const vid = await session.get<{ n: number | string }>(
        'SELECT coalesce(max(vid), 0) AS n FROM resource_version',
      );
      const params = await ParamIds.load(session);
      const timestamp = (start.timestamp ?? new Date()).toISOString();
      return new SqlReleaseWriter(
        Number(last!.n) + 1,
        timestamp,
        session,
        indexer,
        params,
        start,
        Number(vid!.n) + 1,
        engine.documentKinds,
      );
    } catch (e) {
      await session.rollback();
      throw e;
    }
  }

  /**
   * Writes a batch. Calls may overlap: each batch is serialized and indexed as soon as it is given, and its
   * writes are decided after those of the batches given before it, so a caller that keeps two batches in flight
   * keeps both threads busy (bench: bulk-write).
   */
  put(resources: readonly Resource[]): Promise<PutOutcome[]> {
    let prepared: Promise<Prepared>[];
    try {
      this.#assertOpen();
      prepared = this.#prepareAll(resources);
    } catch (e) {
      return this.#guard(() => Promise.reject(e as Error));
    }
    const run = this.#queue.then(async () => {
      const outcomes: PutOutcome[] = [];
      for (const batch of prepared) {
        outcomes.push(...(await this.#decide(await batch)));
      }
      return outcomes;
    });
    this.#queue = run.then(
      () => undefined,
      () => undefined,
    );
    return this.#guard(() => run);
  }

  #prepareAll(resources: readonly Resource[]): Promise<Prepared>[] {
    // A batch must not name the same resource twice (the second would not see the first): split at repeats.
    const batches: Pending[][] = [[]];
    let keys = new Set<string>();
    for (const resource of resources) {
      const key = keyOf(resource);
      if (keys.has(key)) {
        batches.push([]);
        keys = new Set();
      }
      keys.add(key);
      batches[batches.length - 1]!.push({ resource, key });
    }
    const prepared = batches.map((batch) => this.#prepare(batch));
    for (const p of prepared) {
      // Handled where awaited; one left unawaited after an earlier batch failed must not go unhandled.
      p.catch(() => undefined);
    }
    return prepared;
  }

  sourceUnits(keys: readonly string[]): Promise<Map<string, SourceUnit>> {
    return this.#direct(async () => {
      const units = new Map<string, SourceUnit>();
      for (let i = 0; i < keys.length; i += UNIT_BATCH) {
        const slice = keys.slice(i, i + UNIT_BATCH);
        const rows = await this.#session.all<{ key: string; hash: string; resources: string }>(
          `SELECT key, hash, resources FROM source_unit WHERE key IN (${slice.map(() => '?').join(', ')})`,
          slice,
        );
        for (const r of rows) {
          units.set(r.key, { key: r.key, hash: r.hash, resources: decodeKeys(r.resources) });
        }
      }
      return units;
    });
  }

  recordSourceUnits(units: readonly SourceUnit[]): Promise<void> {
    return this.#direct(async () => {
      for (let i = 0; i < units.length; i += UNIT_BATCH) {
        const slice = units.slice(i, i + UNIT_BATCH);
        await this.#session.run(
          `INSERT INTO source_unit (key, hash, resources, rel_from) VALUES ${slice.map(() => '(?, ?, ?, ?)').join(', ')}
           ON CONFLICT (key) DO UPDATE SET hash = excluded.hash, resources = excluded.resources,
             rel_from = excluded.rel_from`,
          slice.flatMap((u) => [u.key, u.hash, encodeKeys(u.resources), this.id]),
        );
      }
    });
  }

  activeOf(resources: readonly ResourceKey[]): Promise<Set<string>> {
    return this.#direct(async () => {
      const active = new Set<string>();
      for (const [type, ids] of groupKeys(resources)) {
        const flags = await this.#session.activeAmong(type, ids);
        ids.forEach((id, i) => {
          if (flags[i] === 1) {
            active.add(`${type}/${id}`);
          }
        });
      }
      return active;
    });
  }

  keep(resources: readonly ResourceKey[]): Promise<void> {
    return this.#direct(async () => {
      for (const [type, ids] of groupKeys(resources)) {
        await this.#session.markSeen(type, ids);
      }
      this.#counts.unchanged += resources.length;
    });
  }

  /** Runs `work` on the session now (after the writes queued so far); a failure fails the release. */
  #direct<T>(work: () => Promise<T>): Promise<T> {
    try {
      this.#assertOpen();
      this.#throwIfFailed();
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
    const run = this.#guard(work);
    // Settled before commit like the other writes (its failure then fails the commit); the caller gets the
    // outcome too.
    const settled = run.then(() => undefined);
    settled.catch(() => undefined);
    this.#pending.push(settled);
    run.catch((e: unknown) => {
      this.#failure ??= e instanceof Error ? e : new Error(String(e));
    });
    return run;
  }

  async remove(resourceType: string, id: string): Promise<boolean> {
    this.#assertOpen();
    return this.#guard(async () => {
      await this.#settle();
      const cur = (await this.#session.lookupCurrent(resourceType, [id])).get(id);
      if (!cur || cur.deleted) {
        return false;
      }
      const oldJson = (await this.#session.readJson([cur.vid])).get(cur.vid) ?? '';
      const rows = new IndexRowSet();
      await this.#addEntries(rows, resourceType, id, oldJson);
      // The old version's document (if any) stays: it is valid until that version's rel_to, set below.
      for (const kind of this.#rowKinds) {
        if (rows.of(kind).size > 0) {
          await this.#session.closeIndexRows(
            kind,
            flatten(rows.of(kind).values(), keyColumns(kind).length),
            this.id,
          );
        }
      }
      const sameRelease = cur.relFrom === this.id;
      const batch = emptyVersionBatch(this.id, this.timestamp);
      pushVersion(batch, {
        vid: sameRelease ? cur.vid : this.#nextVid++,
        type: resourceType,
        id,
        version: sameRelease ? cur.version : cur.version + 1,
        active: 0,
        deleted: 1,
        hash: '',
        canonical: '',
        splice: 0,
      });
      if (sameRelease) {
        await this.#session.rewriteVersions(batch);
      } else {
        await this.#session.closeVersions([cur.vid], this.id);
        await this.#session.insertVersions(batch);
      }
      this.#counts.deleted++;
      return true;
    });
  }

  async *absent(resourceType: string, batchSize = 1000): AsyncIterable<string[]> {
    this.#assertOpen();
    await this.#guard(() => this.#settle());
    let after = '';
    for (;;) {
      const rows = await this.#session.all<{ id: string }>(
        `SELECT c.id FROM resource_current c
          WHERE c.type = ? AND c.active = 1 AND c.deleted = 0 AND c.id > ? AND c.rel_from < ?
            AND NOT EXISTS (SELECT 1 FROM release_seen s WHERE s.type = c.type AND s.id = c.id)
          ORDER BY c.id LIMIT ?`,
        [resourceType, after, this.id, batchSize],
      );
      if (rows.length === 0) {
        return;
      }
      after = rows[rows.length - 1]!.id;
      yield rows.map((r) => r.id);
    }
  }

  async commit(summary: { counts?: Partial<ReleaseCounts>; report?: ReleaseReport } = {}): Promise<Release> {
    this.#assertOpen();
    return this.#guard(async () => {
      await this.#settle();
      const counts: ReleaseCounts = { ...this.#counts, ...summary.counts };
      const row: ReleaseDbRow = {
        id: this.id,
        started_at: this.#startedAt,
        committed_at: new Date().toISOString(),
        source: this.#start.source,
        checksums: JSON.stringify(this.#start.checksums ?? {}),
        counts: JSON.stringify(counts),
        report: JSON.stringify(summary.report ?? { rejections: [] }),
      };
      await this.#session.run(
        `INSERT INTO release (id, started_at, committed_at, source, checksums, counts, report, first_vid, last_vid)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          row.id,
          row.started_at,
          row.committed_at,
          row.source,
          row.checksums,
          row.counts,
          row.report,
          this.#firstVid,
          this.#nextVid - 1,
        ],
      );
      await this.#session.commit();
      this.#state = 'done';
      return toRelease(row);
    });
  }

  async rollback(): Promise<void> {
    if (this.#state === 'done') {
      return;
    }
    this.#state = 'done';
    await this.#queue;
    await Promise.allSettled(this.#pending);
    await this.#session.rollback();
  }

  /**
   * What depends on the resources alone: the serialization (and its hash, on first use), and, while most of
   * what is put gets written, the index. Done as soon as a batch is given, while the engine still writes the
   * batches before it: #decide must wait for the current versions, and an index computed there would leave
   * the engine idle meanwhile (bench: bulk-write). During a re-import, where most resources are unchanged, the
   * index is computed in #decide, for the versions it writes only.
   */
  async #prepare(batch: readonly Pending[]): Promise<Prepared> {
    const contents = batch.map(({ resource }) => resourceContent(resource));
    if (!this.#indexAhead) {
      return { batch, contents };
    }
    const indexes: VersionIndex[] = [];
    for (const { resource } of batch) {
      indexes.push(await this.#indexOf(resource));
    }
    return { batch, contents, indexes };
  }

  async #indexOf(resource: Resource): Promise<VersionIndex> {
    const rows = new IndexRowSet();
    const terms = await this.#addEntries(
      rows,
      resource.resourceType,
      resource.id,
      this.#indexer.index(resource),
    );
    return { rows, terms };
  }

  /** Compares a prepared batch with the current versions and queues its writes. */
  async #decide({ batch, contents, indexes }: Prepared): Promise<PutOutcome[]> {
    const s = this.#session;
    // Reads are queued behind the writes of earlier batches (each session runs its operations in order), so
    // they see them without waiting for them here; a write that already failed fails the release now.
    this.#throwIfFailed();
    const current = new Map<string, CurrentState>();
    for (const [type, ids] of groupKeys(batch.map((p) => p.resource))) {
      for (const [id, state] of await s.lookupCurrent(type, ids)) {
        current.set(`${type}/${id}`, state);
      }
    }
    const changedVids = batch.flatMap(({ key }, i) => {
      const cur = current.get(key);
      return cur && !cur.deleted && cur.hash !== contents[i]!.hash ? [cur.vid] : [];
    });
    const oldJson = changedVids.length > 0 ? await s.readJson(changedVids) : new Map<number, string>();

    const inserts = emptyVersionBatch(this.id, this.timestamp);
    const rewrites = emptyVersionBatch(this.id, this.timestamp);
    const closes: number[] = [];
    const opened = new IndexRowSet();
    const closed = new IndexRowSet();
    const docs = { vids: [] as number[], terms: [] as string[] };
    const redocs = { vids: [] as number[], terms: [] as string[] };
    const outcomes: PutOutcome[] = [];
    const unchanged: Resource[] = [];

    for (let i = 0; i < batch.length; i++) {
      const { resource, key } = batch[i]!;
      const content = contents[i]!;
      const cur = current.get(key);
      if (cur && !cur.deleted && cur.hash === content.hash) {
        outcomes.push('unchanged');
        this.#counts.unchanged++;
        unchanged.push(resource);
        continue;
      }
      const sameRelease = cur !== undefined && cur.relFrom === this.id;
      const version = sameRelease ? cur.version : (cur?.version ?? 0) + 1;
      const vid = sameRelease ? cur.vid : this.#nextVid++;
      const { rows: newRows, terms: newTerms } = indexes?.[i] ?? (await this.#indexOf(resource));
      if (this.#documentKinds.size > 0) {
        const target = sameRelease ? redocs : docs;
        target.vids.push(vid);
        target.terms.push(newTerms);
      }
      pushVersion(sameRelease ? rewrites : inserts, {
        vid,
        type: resource.resourceType,
        id: resource.id,
        version,
        active: content.active ? 1 : 0,
        deleted: 0,
        // A new resource's hash is left to the engine (off the main thread with SQLite's worker).
        hash: content.hash,
        canonical: content.canonical,
        splice: content.splice,
      });
      if (cur && !sameRelease) {
        closes.push(cur.vid);
      }
      if (cur && !cur.deleted) {
        const oldRows = new IndexRowSet();
        await this.#addEntries(oldRows, resource.resourceType, resource.id, oldJson.get(cur.vid) ?? '');
        diffInto(this.#rowKinds, oldRows, newRows, opened, closed);
      } else {
        opened.addAll(newRows, this.#rowKinds);
      }

      const outcome: PutOutcome =
        !cur || cur.deleted ? 'added' : cur.active && !content.active ? 'deactivated' : 'changed';
      outcomes.push(outcome);
      this.#counts[outcome]++;
    }

    this.#indexAhead = unchanged.length * 2 < batch.length;
    // Writes are not awaited one by one: they are queued in order, and #settle() waits for them (and surfaces
    // their errors) before anything reads again.
    const writes: Promise<void>[] = [];
    // Resources written in this release are known by rel_from; only unchanged ones need marking for absent().
    for (const [type, ids] of groupKeys(unchanged)) {
      writes.push(s.markSeen(type, ids));
    }
    if (closes.length > 0) {
      writes.push(s.closeVersions(closes, this.id));
    }
    if (inserts.vid.length > 0) {
      writes.push(s.insertVersions(inserts));
    }
    if (rewrites.vid.length > 0) {
      writes.push(s.rewriteVersions(rewrites));
    }
    if (docs.vids.length > 0) {
      writes.push(s.writeDocuments(docs.vids, docs.terms, false));
    }
    if (redocs.vids.length > 0) {
      writes.push(s.writeDocuments(redocs.vids, redocs.terms, true));
    }
    for (const kind of this.#rowKinds) {
      if (closed.of(kind).size > 0) {
        writes.push(
          s.closeIndexRows(kind, flatten(closed.of(kind).values(), keyColumns(kind).length), this.id),
        );
      }
      if (opened.of(kind).size > 0) {
        writes.push(s.openIndexRows(kind, flatten(opened.of(kind).values()), this.id));
      }
    }
    for (const w of writes) {
      // Marked as handled here; #settle() and #throwIfFailed() report the first failure.
      w.catch((e: unknown) => {
        this.#failure ??= e instanceof Error ? e : new Error(String(e));
      });
    }
    this.#pending.push(...writes);
    return outcomes;
  }

  #throwIfFailed(): void {
    if (this.#failure !== undefined) {
      throw this.#failure;
    }
  }

  /** Waits for batches given to put() and their queued writes; the first failure fails the release. */
  async #settle(): Promise<void> {
    await this.#queue;
    const pending = this.#pending;
    this.#pending = [];
    await Promise.all(pending);
  }

  /**
   * Adds the index rows of a resource (given as entries, or as stored JSON to re-index) to `rows`, for the
   * kinds kept as rows; returns the document (terms) of the kinds kept as documents.
   */
  async #addEntries(
    rows: IndexRowSet,
    type: string,
    id: string,
    source: IndexEntry[] | string,
  ): Promise<string> {
    if (typeof source === 'string' && source === '') {
      return '';
    }
    const entries = typeof source === 'string' ? this.#indexer.index(JSON.parse(source) as Resource) : source;
    const params = this.#params;
    const terms: string[] = [];
    for (const entry of entries) {
      const pid =
        params.pid(type, entry.code, entry.kind) ??
        (await params.ensurePid(this.#session, type, entry.code, entry.kind));
      const sid =
        entry.kind === 'token'
          ? (params.sid(entry.system) ?? (await params.ensureSid(this.#session, entry.system)))
          : 0;
      if (this.#documentKinds.has(entry.kind)) {
        const type = entry.kind === 'token' ? entry.type : undefined;
        const tid =
          type === undefined ? 0 : (params.sid(type) ?? (await params.ensureSid(this.#session, type)));
        addTerms(terms, pid, entry, sid, tid);
      } else {
        rows.add(entry.kind, entryRow(pid, id, entry, sid));
      }
    }
    return terms.join(' ');
  }

  async #guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (e) {
      this.#state = 'failed';
      throw e;
    }
  }

  #assertOpen(): void {
    if (this.#state === 'failed') {
      throw new AnnuaireError(
        409,
        'conflict',
        `release ${this.id} failed earlier and can only be rolled back`,
      );
    }
    if (this.#state === 'done') {
      throw new AnnuaireError(409, 'conflict', `release ${this.id} is already closed`);
    }
  }
}

interface VersionValues {
  readonly vid: number;
  readonly type: string;
  readonly id: string;
  readonly version: number;
  readonly active: number;
  readonly deleted: number;
  /** '' lets the engine compute it. */
  readonly hash: string;
  readonly canonical: string;
  readonly splice: number;
}

function pushVersion(batch: VersionBatch, v: VersionValues): void {
  batch.vid.push(v.vid);
  batch.type.push(v.type);
  batch.id.push(v.id);
  batch.version.push(v.version);
  batch.active.push(v.active);
  batch.deleted.push(v.deleted);
  batch.hash.push(v.hash);
  batch.canonical.push(v.canonical);
  batch.splice.push(v.splice);
}

function groupKeys(keys: readonly ResourceKey[]): Map<string, string[]> {
  const byType = new Map<string, string[]>();
  for (const k of keys) {
    const ids = byType.get(k.resourceType) ?? [];
    ids.push(k.id);
    byType.set(k.resourceType, ids);
  }
  return byType;
}

function keyOf(resource: Resource): string {
  if (typeof resource.resourceType !== 'string' || !/^[A-Z][A-Za-z]+$/.test(resource.resourceType)) {
    throw invalid(
      `resourceType "${String(resource.resourceType)}" is not a FHIR resource type`,
      'resourceType',
    );
  }
  if (typeof resource.id !== 'string' || !FHIR_ID.test(resource.id)) {
    throw invalid(`${resource.resourceType} id "${String(resource.id)}" is not a valid FHIR id`, 'id');
  }
  return `${resource.resourceType}/${resource.id}`;
}

/** Rows only in `before` are closed; rows only in `after` are opened; rows in both stay as they are. */
function diffInto(
  kinds: readonly IndexKind[],
  before: IndexRowSet,
  after: IndexRowSet,
  opened: IndexRowSet,
  closed: IndexRowSet,
): void {
  for (const kind of kinds) {
    for (const [k, r] of after.of(kind)) {
      if (!before.of(kind).has(k)) {
        opened.add(kind, r, k);
      }
    }
    for (const [k, r] of before.of(kind)) {
      if (!after.of(kind).has(k)) {
        closed.add(kind, r, k);
      }
    }
  }
}
