/**
 * Retention of index rows. Purging through release H deletes the rows closed at or before H + 1: snapshots
 * after H need none of them, snapshots at or before H can no longer be searched. A row closed at release R was opened by an earlier version and dropped by the
 * version written in R, so the rows closed in R are found again by re-indexing the predecessors of R's
 * versions: the purge costs in proportion to what changed, not to the size of the index.
 * Versions themselves are never purged (vread, _history and the historized perimeter need them).
 */
import type { Indexer, Resource } from '../store.js';
import type { SqlEngine } from './engine.js';
import { entryRow, flatten, INDEX_KINDS, IndexRowSet, keyColumns } from './index-rows.js';
import { readMeta, writeMeta } from './meta.js';
import { ParamIds } from './search-params.js';

/** Versions re-indexed at a time. */
const PURGE_CHUNK = 10_000;

export async function purgeThrough(
  engine: SqlEngine,
  indexer: Indexer,
  horizon: number,
): Promise<{ purgedThrough: number; rows: number }> {
  const session = await engine.beginWrite();
  try {
    const done = Number((await readMeta(session, 'purged_through')) ?? 0);
    if (horizon <= done) {
      await session.rollback();
      return { purgedThrough: done, rows: 0 };
    }
    const params = await ParamIds.load(session);
    let rows = 0;
    const releases = await session.all<{ id: number; first_vid: number | string; last_vid: number | string }>(
      'SELECT id, first_vid, last_vid FROM release WHERE id > ? AND id <= ? ORDER BY id',
      // Release 1 closes nothing; after a purge through `done`, releases up to done + 1 were processed.
      [done + 1, horizon + 1],
    );
    for (const release of releases) {
      // Walk the release's versions in chunks so a release that changed everything stays within memory.
      for (let from = Number(release.first_vid); from <= Number(release.last_vid); from += PURGE_CHUNK) {
        const predecessors = await session.all<{ vid: number; type: string; id: string; json: string }>(
          `SELECT p.vid, p.type, p.id, p.json FROM resource_version v
             JOIN resource_version p ON p.type = v.type AND p.id = v.id AND p.version = v.version - 1
            WHERE v.vid BETWEEN ? AND ? AND v.version > 1`,
          [from, Math.min(from + PURGE_CHUNK - 1, Number(release.last_vid))],
        );
        const closed = new IndexRowSet();
        for (const p of predecessors) {
          if (p.json === '') {
            continue;
          }
          for (const entry of indexer.index(JSON.parse(p.json) as Resource)) {
            const pid = params.pid(p.type, entry.code, entry.kind);
            const sid = entry.kind === 'token' ? params.sid(entry.system) : 0;
            if (pid !== undefined && sid !== undefined) {
              closed.add(entry.kind, entryRow(pid, p.id, entry, sid));
            }
          }
        }
        if (engine.documentKinds.size > 0 && predecessors.length > 0) {
          // A version's document serves only the snapshots in which that version is current.
          rows += await session.deleteDocuments(predecessors.map((p) => Number(p.vid)));
        }
        for (const kind of INDEX_KINDS.filter((k) => !engine.documentKinds.has(k))) {
          if (closed.of(kind).size > 0) {
            const keys = flatten(closed.of(kind).values(), keyColumns(kind).length);
            rows += await session.deleteClosedIndexRows(kind, keys, release.id);
          }
        }
      }
    }
    await writeMeta(session, 'purged_through', String(horizon));
    await session.commit();
    return { purgedThrough: horizon, rows };
  } catch (e) {
    await session.rollback();
    throw e;
  }
}
