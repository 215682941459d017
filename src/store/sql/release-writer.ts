/**
 * The write path of a release, shared by both engines: detects unchanged content by hash, writes new versions,
 * closes the index rows a version drops and opens those it adds, and commits everything in one transaction.
 */
import { emptyCounts, type ReleaseCounts, type ReleaseReport } from '../../domain/release.js';
import { AnnuaireError, invalid } from '../../error.js';
import type {
  Indexer,
  IndexEntry,
  PutOutcome,
  Release,
  ReleaseStart,
  ReleaseWriter,
  Resource,
} from '../store.js';
import type { CurrentRow, CurrentState, SqlEngine, VersionRow, WriteSession } from './engine.js';
import { INDEX_KINDS, IndexRowSet } from './index-rows.js';
import { resourceContent } from './resource-text.js';
import { ParamIds } from './search-params.js';
import { toRelease, type ReleaseDbRow } from './rows.js';
import { readMeta, writeMeta } from './meta.js';

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

interface Pending {
  readonly resource: Resource;
  readonly key: string;
}

export class SqlReleaseWriter implements ReleaseWriter {
  readonly #session: WriteSession;
  readonly #indexer: Indexer;
  readonly #params: ParamIds;
  readonly #start: ReleaseStart;
  readonly #startedAt: string;
  #nextVid: number;
  #firstVid: number;
  #counts: Record<keyof ReleaseCounts, number> = { ...emptyCounts() };
  #state: 'open' | 'failed' | 'done' = 'open';

  private constructor(
    readonly id: number,
    readonly timestamp: string,
    session: WriteSession,
    indexer: Indexer,
    params: ParamIds,
    start: ReleaseStart,
    nextVid: number,
  ) {
    this.#session = session;
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
      );
    } catch (e) {
      await session.rollback();
      throw e;
    }
  }

  async put(resources: readonly Resource[]): Promise<PutOutcome[]> {
    this.#assertOpen();
    return this.#guard(async () => {
      const outcomes: PutOutcome[] = [];
      // A batch must not name the same resource twice (the second would not see the first): split at repeats.
      let batch: Pending[] = [];
      let keys = new Set<string>();
      for (const resource of resources) {
        const key = keyOf(resource);
        if (keys.has(key)) {
          outcomes.push(...(await this.#putBatch(batch)));
          batch = [];
          keys = new Set();
        }
        keys.add(key);
        batch.push({ resource, key });
      }
      if (batch.length > 0) {
        outcomes.push(...(await this.#putBatch(batch)));
      }
      return outcomes;
    });
  }

  async remove(resourceType: string, id: string): Promise<boolean> {
    this.#assertOpen();
    return this.#guard(async () => {
      const cur = (await this.#session.lookupCurrent(resourceType, [id])).get(id);
      if (!cur || cur.deleted) {
        return false;
      }
      const oldJson = (await this.#session.readJson([cur.vid])).get(cur.vid) ?? '';
      const rows = new IndexRowSet();
      await this.#addEntries(rows, resourceType, id, oldJson);
      for (const kind of INDEX_KINDS) {
        await this.#session.closeIndexRows(kind, [...rows.rows[kind].values()], this.id);
      }
      const sameRelease = cur.relFrom === this.id;
      const version: VersionRow = {
        vid: sameRelease ? cur.vid : this.#nextVid++,
        type: resourceType,
        id,
        version: sameRelease ? cur.version : cur.version + 1,
        relFrom: this.id,
        lastUpdated: this.timestamp,
        active: false,
        deleted: true,
        json: '',
      };
      if (sameRelease) {
        await this.#session.rewriteVersions([version]);
      } else {
        await this.#session.closeVersions([cur.vid], this.id);
        await this.#session.insertVersions([version]);
      }
      await this.#session.upsertCurrent([{ ...version, hash: '', active: false, deleted: true }]);
      this.#counts.deleted++;
      return true;
    });
  }

  async *absent(resourceType: string, batchSize = 1000): AsyncIterable<string[]> {
    this.#assertOpen();
    let after = '';
    for (;;) {
      const rows = await this.#session.all<{ id: string }>(
        `SELECT c.id FROM resource_current c
          WHERE c.type = ? AND c.active = 1 AND c.deleted = 0 AND c.id > ?
            AND NOT EXISTS (SELECT 1 FROM release_seen s WHERE s.type = c.type AND s.id = c.id)
          ORDER BY c.id LIMIT ?`,
        [resourceType, after, batchSize],
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
    await this.#session.rollback();
  }

  async #putBatch(batch: readonly Pending[]): Promise<PutOutcome[]> {
    const s = this.#session;
    const byType = new Map<string, string[]>();
    for (const { resource } of batch) {
      const ids = byType.get(resource.resourceType) ?? [];
      ids.push(resource.id);
      byType.set(resource.resourceType, ids);
    }
    const current = new Map<string, CurrentState>();
    for (const [type, ids] of byType) {
      for (const [id, state] of await s.lookupCurrent(type, ids)) {
        current.set(`${type}/${id}`, state);
      }
      await s.markSeen(type, ids);
    }

    const contents = batch.map(({ resource }) => resourceContent(resource));
    const changedVids = batch.flatMap(({ key }, i) => {
      const cur = current.get(key);
      return cur && !cur.deleted && cur.hash !== contents[i]!.hash ? [cur.vid] : [];
    });
    const oldJson = changedVids.length > 0 ? await s.readJson(changedVids) : new Map<number, string>();

    const inserts: VersionRow[] = [];
    const rewrites: VersionRow[] = [];
    const closes: number[] = [];
    const currents: CurrentRow[] = [];
    const opened = new IndexRowSet();
    const closed = new IndexRowSet();
    const outcomes: PutOutcome[] = [];

    for (let i = 0; i < batch.length; i++) {
      const { resource, key } = batch[i]!;
      const content = contents[i]!;
      const cur = current.get(key);
      if (cur && !cur.deleted && cur.hash === content.hash) {
        outcomes.push('unchanged');
        this.#counts.unchanged++;
        continue;
      }
      const sameRelease = cur !== undefined && cur.relFrom === this.id;
      const vid = sameRelease ? cur.vid : this.#nextVid++;
      const version = sameRelease ? cur.version : (cur?.version ?? 0) + 1;
      const row: VersionRow = {
        vid,
        type: resource.resourceType,
        id: resource.id,
        version,
        relFrom: this.id,
        lastUpdated: this.timestamp,
        active: content.active,
        deleted: false,
        json: content.text(version, this.timestamp),
      };
      (sameRelease ? rewrites : inserts).push(row);
      if (cur && !sameRelease) {
        closes.push(cur.vid);
      }
      currents.push({ ...row, hash: content.hash });

      const newRows = new IndexRowSet();
      await this.#addEntries(newRows, resource.resourceType, resource.id, this.#indexer.index(resource));
      if (cur && !cur.deleted) {
        const oldRows = new IndexRowSet();
        await this.#addEntries(oldRows, resource.resourceType, resource.id, oldJson.get(cur.vid) ?? '');
        diffInto(oldRows, newRows, opened, closed);
      } else {
        for (const kind of INDEX_KINDS) {
          for (const [k, r] of newRows.rows[kind]) {
            opened.rows[kind].set(k, r);
          }
        }
      }

      const outcome: PutOutcome =
        !cur || cur.deleted ? 'added' : cur.active && !content.active ? 'deactivated' : 'changed';
      outcomes.push(outcome);
      this.#counts[outcome]++;
    }

    if (inserts.length > 0) {
      await s.insertVersions(inserts);
    }
    if (rewrites.length > 0) {
      await s.rewriteVersions(rewrites);
    }
    if (closes.length > 0) {
      await s.closeVersions(closes, this.id);
    }
    if (currents.length > 0) {
      await s.upsertCurrent(currents);
    }
    for (const kind of INDEX_KINDS) {
      if (closed.rows[kind].size > 0) {
        await s.closeIndexRows(kind, [...closed.rows[kind].values()], this.id);
      }
      if (opened.rows[kind].size > 0) {
        await s.openIndexRows(kind, [...opened.rows[kind].values()], this.id);
      }
    }
    return outcomes;
  }

  /** Adds the index rows of a resource (given as entries, or as stored JSON to re-index) to `rows`. */
  async #addEntries(
    rows: IndexRowSet,
    type: string,
    id: string,
    source: IndexEntry[] | string,
  ): Promise<void> {
    if (typeof source === 'string' && source === '') {
      return;
    }
    const entries = typeof source === 'string' ? this.#indexer.index(JSON.parse(source) as Resource) : source;
    for (const entry of entries) {
      rows.add(await this.#params.ensure(this.#session, type, entry.code, entry.kind), id, entry);
    }
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
function diffInto(before: IndexRowSet, after: IndexRowSet, opened: IndexRowSet, closed: IndexRowSet): void {
  for (const kind of INDEX_KINDS) {
    for (const [k, r] of after.rows[kind]) {
      if (!before.rows[kind].has(k)) {
        opened.rows[kind].set(k, r);
      }
    }
    for (const [k, r] of before.rows[kind]) {
      if (!after.rows[kind].has(k)) {
        closed.rows[kind].set(k, r);
      }
    }
  }
}
