/**
 * Rebuilds the search index of every version with this program's indexer, in one transaction: what a store
 * needs when the indexer changed (a new search parameter, a new way to index one). Versions are not touched;
 * each version's index entries get its own release range again, so searches as of past releases still work.
 */
import type { Indexer, IndexKind, Resource } from '../store.js';
import type { SqlEngine, WriteSession } from './engine.js';
import { entryRow, INDEX_KINDS, INDEX_TABLES, IndexRowSet, rowColumns } from './index-rows.js';
import { addTerms } from './index-terms.js';
import { writeMeta } from './meta.js';
import { ParamIds } from './search-params.js';

/** Versions read per round trip. */
const BATCH = 2000;

export async function reindex(
  engine: SqlEngine,
  indexer: Indexer,
  progress?: (versions: number) => void,
): Promise<{ versions: number }> {
  const session = await engine.beginWrite();
  try {
    const params = await ParamIds.load(session);
    const rowKinds = INDEX_KINDS.filter((k) => !engine.documentKinds.has(k));
    if (engine.documentKinds.size > 0) {
      // https://sqlite.org/fts5.html#the_delete_all_command
      await session.run("INSERT INTO search_doc (search_doc) VALUES ('delete-all')");
    }
    for (const kind of rowKinds) {
      await session.run(`DELETE FROM ${INDEX_TABLES[kind].table}`);
    }
    let after = 0;
    let versions = 0;
    for (;;) {
      const batch = await session.all<{
        vid: number | string;
        type: string;
        id: string;
        rel_from: number;
        rel_to: number;
        json: string;
      }>(
        `SELECT vid, type, id, rel_from, rel_to, json FROM resource_version
          WHERE vid > ? AND deleted = 0 ORDER BY vid LIMIT ?`,
        [after, BATCH],
      );
      if (batch.length === 0) {
        break;
      }
      const vids: number[] = [];
      const docs: string[] = [];
      for (const v of batch) {
        const rows = new IndexRowSet();
        const terms: string[] = [];
        for (const entry of indexer.index(JSON.parse(v.json) as Resource)) {
          const pid = await params.ensurePid(session, v.type, entry.code, entry.kind);
          const sid = entry.kind === 'token' ? await params.ensureSid(session, entry.system) : 0;
          if (engine.documentKinds.has(entry.kind)) {
            const type = entry.kind === 'token' ? entry.type : undefined;
            addTerms(terms, pid, entry, sid, type === undefined ? 0 : await params.ensureSid(session, type));
          } else {
            rows.add(entry.kind, entryRow(pid, v.id, entry, sid));
          }
        }
        if (engine.documentKinds.size > 0) {
          vids.push(Number(v.vid));
          docs.push(terms.join(' '));
        }
        for (const kind of rowKinds) {
          await insertRows(session, kind, [...rows.of(kind).values()], v.rel_from, v.rel_to);
        }
      }
      if (vids.length > 0) {
        await session.writeDocuments(vids, docs, false);
      }
      versions += batch.length;
      after = Number(batch.at(-1)!.vid);
      progress?.(versions);
    }
    await writeMeta(session, 'indexer_version', indexer.version);
    await session.commit();
    return { versions };
  } catch (e) {
    await session.rollback();
    throw e;
  }
}

async function insertRows(
  session: WriteSession,
  kind: IndexKind,
  rows: readonly (string | number)[][],
  relFrom: number,
  relTo: number,
): Promise<void> {
  if (rows.length === 0) {
    return;
  }
  const cols = [...rowColumns(kind), 'rel_from', 'rel_to'];
  const one = `(${cols.map(() => '?').join(', ')})`;
  await session.run(
    `INSERT INTO ${INDEX_TABLES[kind].table} (${cols.join(', ')}) VALUES ${rows.map(() => one).join(', ')}
      ON CONFLICT DO NOTHING`,
    rows.flatMap((r) => [...r, relFrom, relTo]),
  );
}
