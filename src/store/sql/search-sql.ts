/**
 * Compiles a SearchQuery into one SQL statement, written once for both engines. The conditions become:
 * - on SQLite (index documents), one FTS5 expression (AND of ORs, NOT for negations) that drives the query:
 *   FTS5 walks matching documents in rowid (= seq) order and honours `rowid > ?`, so a page of a broad search
 *   stops after `limit` rows and a page of a narrow one reads only its matches;
 * - on PostgreSQL (index rows), `id IN (…)` range scans of the idx_* tables, each valid as of the release.
 * Keyset paging only: the position of the last row of a page is the `after` of the next (no OFFSET).
 */
import { invalid, AnnuaireError } from '../../error.js';
import type { IndexKind, IndexMatch, SearchCondition, SearchQuery, SearchSort } from '../store.js';
import type { SqlRunner } from './engine.js';
import { INDEX_TABLES } from './index-rows.js';
import { matchQuery } from './index-terms.js';
import type { ValueDictionary } from './value-dictionary.js';

/** What the compiler needs of the store: lookups of small integer ids, and the dialect's few differences. */
export interface SearchContext {
  readonly db: SqlRunner;
  /** The store has migration 0007's lookups (the narrow index of versions by seq on SQLite). */
  readonly lookups: boolean;
  /** Index kinds kept as FTS5 documents (SQLite); the others are rows. */
  readonly documents: ReadonlySet<IndexKind>;
  /** SQL for the text at a JSON path of `v.json`, '' when absent. */
  jsonText(path: readonly (string | number)[]): string;
  pid(resourceType: string, code: string, kind: IndexKind): Promise<number | undefined>;
  /** Dictionary id of a token system or identifier type; undefined when the store has never seen it. */
  sid(value: string): Promise<number | undefined>;
  /** The rowids (version seqs) matching any of the FTS5 expressions, sorted, read `slice` expressions at a time. */
  rowids(expressions: readonly string[], slice: number): Promise<number[]>;
  /** The terms of a parameter (documents only: prefix `s{pid}_` or `t{pid}_`), for `:contains` and `system|`. */
  terms(prefix: string): Promise<ValueDictionary>;
}

export interface CompiledSearch {
  /** FROM … WHERE …, without ORDER BY: shared by the page and the count. */
  readonly body: string;
  readonly params: readonly unknown[];
  readonly order: CompiledOrder;
  /**
   * The FTS5 expression, when the whole query is that expression (no other condition): its matches can be
   * counted from the index alone when every version they could hit is visible (see SqlStore.count).
   */
  readonly ftsOnly?: string;
  /** No condition at all: every resource of the type. */
  readonly unfiltered?: true;
  /** When the whole query is one list of versions (a wide OR read in slices): its length. */
  readonly vidsOnly?: number;
}

interface CompiledOrder {
  readonly sort: Exclude<SearchSort, { by: 'natural' }>;
  /** The SQL of the sort key, and of the tie-break (seq) for text keys. */
  readonly key: string;
  readonly seq: string;
}

const PREFIX_END = '\u{10FFFF}';
/** An OR of more FTS5 expressions than this is read in slices (see compileSearch). */
const WIDE_OR = 64;

/** More distinct values than this for one `:contains` or `system|` is a search the user should narrow. */
const MAX_DICTIONARY_TERMS = 20_000;

function anyTerm(terms: string[] | 'too-many', what: string, code: string, hint: string): Part {
  if (terms === 'too-many') {
    throw new AnnuaireError(
      400,
      'too-costly',
      `${what} matches more than ${MAX_DICTIONARY_TERMS} different values: ${hint}`,
      code,
    );
  }
  return terms.length === 0 ? null : { fts: terms.map((t) => `"${t}"`).join(' OR ') };
}

/** One lookup as SQL or as an FTS5 expression; `null` when it can match nothing. */
type Part = { readonly fts: string } | { readonly sql: string; readonly params: unknown[] } | null;

/** Returns the compiled query, or undefined when it can match nothing. */
export async function compileSearch(ctx: SearchContext, q: SearchQuery): Promise<CompiledSearch | undefined> {
  // A deletion is a version too (it answers 410 on read), but it matches no search.
  const where = ['v.type = ?', 'v.rel_from <= ?', 'v.rel_to > ?', 'v.deleted = 0'];
  const params: unknown[] = [q.resourceType, q.asOf, q.asOf];
  const ftsAll: string[] = [];
  const ftsNone: string[] = [];
  const vidSets: number[][] = [];
  const addSql = (sql: string, values: readonly unknown[]): void => {
    where.push(sql);
    params.push(...values);
  };

  for (const c of q.where) {
    const group = await conditionParts(ctx, q, c);
    if (group === 'all') {
      continue;
    }
    if (group === 'none') {
      return undefined;
    }
    const { parts, not } = group;
    const fts = parts.filter((p): p is { fts: string } => p !== null && 'fts' in p).map((p) => p.fts);
    if (fts.length > WIDE_OR && fts.length === parts.filter((p) => p !== null).length) {
      // A wide OR (a chain resolved to thousands of references): FTS5 advances every operand for every row,
      // so it is read in narrow slices and the versions it matches become a list.
      const vids = await ctx.rowids(fts, WIDE_OR);
      vidSets.push(vids);
      addSql(`v.vid ${not ? 'NOT ' : ''}IN (SELECT value FROM json_each(?))`, [JSON.stringify(vids)]);
      continue;
    }
    if (parts.length > 0 && parts.every((p) => p !== null && 'fts' in p)) {
      const expr = parts.map((p) => (p as { fts: string }).fts).join(' OR ');
      (not ? ftsNone : ftsAll).push(parts.length > 1 ? `(${expr})` : expr);
      continue;
    }
    const sqls: string[] = [];
    const values: unknown[] = [];
    for (const p of parts) {
      if (p === null) {
        continue;
      }
      if ('fts' in p) {
        sqls.push('v.vid IN (SELECT rowid FROM search_doc WHERE search_doc MATCH ?)');
        values.push(p.fts);
      } else {
        sqls.push(p.sql);
        values.push(...p.params);
      }
    }
    if (sqls.length === 0) {
      if (not) {
        continue;
      }
      return undefined;
    }
    addSql(`${not ? 'NOT ' : ''}(${sqls.join(' OR ')})`, values);
  }

  let from = 'resource_version v';
  let seq = 'v.vid';
  if (ftsAll.length > 0) {
    // FTS5 drives: CROSS JOIN keeps SQLite from reordering the join (https://sqlite.org/optoverview.html#crossjoin).
    // Each match is checked in the narrow index by seq (migration 0007), and its row (with the JSON) is read
    // only when it passes every condition.
    const narrow = ctx.lookups ? ' INDEXED BY resource_version_seq' : '';
    from = `search_doc CROSS JOIN resource_version v${narrow} ON v.vid = search_doc.rowid`;
    seq = 'search_doc.rowid';
    const expr = ftsAll.join(' AND ') + ftsNone.map((n) => ` NOT ${n}`).join('');
    where.unshift('search_doc MATCH ?');
    params.unshift(expr);
  } else if (ftsNone.length > 0) {
    addSql('v.vid NOT IN (SELECT rowid FROM search_doc WHERE search_doc MATCH ?)', [ftsNone.join(' OR ')]);
  }
  const requested = q.sort ?? { by: 'natural' };
  const sort: CompiledOrder['sort'] =
    requested.by === 'natural' ? { by: ftsAll.length > 0 ? 'seq' : 'id' } : requested;
  const key = sort.by === 'text' ? ctx.jsonText(sort.path) : sort.by === 'id' ? 'v.id' : seq;
  // The base conditions (type, release range, not deleted) are the first four; nothing else was added.
  const ftsOnly = ftsAll.length > 0 && where.length === 5 ? (params[0] as string) : undefined;
  const vidsOnly = ftsAll.length === 0 && ftsNone.length === 0 && where.length === 5 && vidSets.length === 1;
  return {
    body: `FROM ${from} WHERE ${where.join(' AND ')}`,
    params,
    order: { sort, key, seq },
    ...(ftsOnly !== undefined ? { ftsOnly } : {}),
    ...(where.length === 4 && ftsAll.length === 0 ? { unfiltered: true } : {}),
    ...(vidsOnly && !where[4]!.includes('NOT IN') ? { vidsOnly: vidSets[0]!.length } : {}),
  };
}

/**
 * ORDER BY, keyset condition and LIMIT of a page. Backwards (`before`, or the last page), the order is
 * reversed: the caller reverses the rows back.
 */
export function pageSql(
  c: CompiledSearch,
  position: string | undefined,
  backwards: boolean,
  limit: number,
): { sql: string; params: unknown[] } {
  const { sort, key, seq } = c.order;
  const desc = (sort.desc ?? false) !== backwards;
  const dir = desc ? 'DESC' : 'ASC';
  const cmp = desc ? '<' : '>';
  const after = position;
  const params = [...c.params];
  let keyset = '';
  if (after !== undefined) {
    const pos = parseAfter(after, sort.by === 'text');
    if (sort.by === 'text') {
      keyset = ` AND (${key} ${cmp} ? OR (${key} = ? AND ${seq} ${cmp} ?))`;
      params.push(pos[0], pos[0], pos[1]);
    } else {
      keyset = ` AND ${key} ${cmp} ?`;
      params.push(pos[0]);
    }
  }
  const order = sort.by === 'text' ? `${key} ${dir}, ${seq} ${dir}` : `${key} ${dir}`;
  params.push(limit);
  return { sql: `${c.body}${keyset} ORDER BY ${order} LIMIT ?`, params };
}

/** The position of a row, to be given back as `after`. */
export function positionOf(
  c: CompiledSearch,
  row: { vid: number | string; id: string; sort_key?: string },
): string {
  switch (c.order.sort.by) {
    case 'seq':
      return JSON.stringify([Number(row.vid)]);
    case 'id':
      return JSON.stringify([row.id]);
    case 'text':
      return JSON.stringify([row.sort_key ?? '', Number(row.vid)]);
  }
}

function parseAfter(after: string, text: boolean): unknown[] {
  let pos: unknown;
  try {
    pos = JSON.parse(after);
  } catch {
    pos = undefined;
  }
  const ok =
    Array.isArray(pos) &&
    (text
      ? pos.length === 2 && typeof pos[0] === 'string' && Number.isSafeInteger(pos[1])
      : pos.length === 1 && (typeof pos[0] === 'string' || Number.isSafeInteger(pos[0])));
  if (!ok) {
    throw invalid('the page position is not one this search produced', '_page');
  }
  return pos as unknown[];
}

type Group = 'all' | 'none' | { readonly parts: Part[]; readonly not: boolean };

async function conditionParts(ctx: SearchContext, q: SearchQuery, c: SearchCondition): Promise<Group> {
  switch (c.kind) {
    case 'match': {
      const refs = c.any.filter((m) => m.kind === 'reference');
      const code = refs[0]?.code;
      if (
        refs.length > 1 &&
        refs.length === c.any.length &&
        refs.every((m) => m.code === code) &&
        !ctx.documents.has('reference')
      ) {
        // Any of several targets (a page's _revinclude): one range scan per target, in one subquery.
        const pid = await ctx.pid(q.resourceType, code!, 'reference');
        if (pid === undefined) {
          return c.not ? 'all' : 'none';
        }
        const targets = refs.map((m) => m.target);
        const sql = `v.id IN (SELECT id FROM idx_reference WHERE pid = ? AND target IN (${targets.map(() => '?').join(', ')})
          AND rel_from <= ? AND rel_to > ?)`;
        return { parts: [{ sql, params: [pid, ...targets, q.asOf, q.asOf] }], not: c.not ?? false };
      }
      const parts: Part[] = [];
      for (const m of c.any) {
        parts.push(await matchPart(ctx, q, m));
      }
      if (parts.every((p) => p === null)) {
        return c.not ? 'all' : 'none';
      }
      return { parts, not: c.not ?? false };
    }
    case 'id':
      if (c.ids.length === 0) {
        return c.not ? 'all' : 'none';
      }
      return {
        parts: [{ sql: `v.id IN (${c.ids.map(() => '?').join(', ')})`, params: [...c.ids] }],
        not: c.not ?? false,
      };
    case 'active':
      return { parts: [{ sql: 'v.active = ?', params: [c.value ? 1 : 0] }], not: false };
    case 'lastUpdated': {
      const parts: Part[] = c.ranges.map((r) => {
        const cond: string[] = [];
        const params: unknown[] = [];
        if (r.low !== undefined) {
          cond.push('v.last_updated >= ?');
          params.push(r.low);
        }
        if (r.high !== undefined) {
          cond.push('v.last_updated < ?');
          params.push(r.high);
        }
        return { sql: cond.length > 0 ? `(${cond.join(' AND ')})` : '1 = 1', params };
      });
      if (parts.length === 0) {
        return c.not ? 'all' : 'none';
      }
      return { parts, not: c.not ?? false };
    }
    case 'refersTo':
    case 'referencedBy': {
      // Both joins go through the reference rows (idx_reference), as of the same release.
      const [source, target] =
        c.kind === 'refersTo' ? [q.resourceType, c.targetType] : [c.sourceType, q.resourceType];
      const pid = await ctx.pid(source, c.code, 'reference');
      if (pid === undefined) {
        return 'none';
      }
      const inner = await compileSearch(ctx, {
        resourceType: c.kind === 'refersTo' ? c.targetType : c.sourceType,
        where: c.where,
        asOf: q.asOf,
        limit: 0,
      });
      if (inner === undefined) {
        return 'none';
      }
      const rel = 'r.rel_from <= ? AND r.rel_to > ?';
      const prefix = `${target}/`;
      const sql =
        c.kind === 'refersTo'
          ? `v.id IN (SELECT r.id FROM idx_reference r WHERE r.pid = ? AND ${rel}
              AND r.target IN (SELECT ? || v.id ${inner.body}))`
          : // The referenced ids, so that the outer query looks them up by its (type, id) index.
            `v.id IN (SELECT substr(r.target, ?) FROM idx_reference r WHERE r.pid = ? AND ${rel}
              AND r.target >= ? AND r.target < ? AND r.id IN (SELECT v.id ${inner.body}))`;
      const params =
        c.kind === 'refersTo'
          ? [pid, q.asOf, q.asOf, prefix, ...inner.params]
          : [prefix.length + 1, pid, q.asOf, q.asOf, prefix, `${target}0`, ...inner.params];
      return { parts: [{ sql, params }], not: false };
    }
    case 'present': {
      const pid = await ctx.pid(q.resourceType, c.code, c.index);
      if (pid === undefined) {
        return c.present ? 'none' : 'all';
      }
      if (ctx.documents.has(c.index)) {
        const letter = { token: 't', string: 's', reference: 'r', date: 'd' }[c.index];
        return { parts: [{ fts: `"${letter}${pid}_"*` }], not: !c.present };
      }
      const sql = `v.id IN (SELECT id FROM ${INDEX_TABLES[c.index].table} WHERE pid = ? AND rel_from <= ? AND rel_to > ?)`;
      return { parts: [{ sql, params: [pid, q.asOf, q.asOf] }], not: !c.present };
    }
  }
}

async function matchPart(ctx: SearchContext, q: SearchQuery, m: IndexMatch): Promise<Part> {
  const pid = await ctx.pid(q.resourceType, m.code, m.kind);
  if (pid === undefined) {
    return null;
  }
  const sid = m.kind === 'token' && m.system !== undefined ? await ctx.sid(m.system) : undefined;
  const tid = m.kind === 'token' && m.type !== undefined ? await ctx.sid(m.type) : undefined;
  // A system or identifier type the store has never seen matches nothing (on index rows, the type is text).
  const unknownSystem = m.kind === 'token' && m.system !== undefined && sid === undefined;
  const unknownType = m.kind === 'token' && m.type !== undefined && tid === undefined;
  if (unknownSystem || (unknownType && ctx.documents.has('token'))) {
    return null;
  }
  if (ctx.documents.has(m.kind)) {
    if (m.kind === 'string' && m.mode === 'contains') {
      const terms = (await ctx.terms(`s${pid}_`)).containing(m.norm, MAX_DICTIONARY_TERMS);
      return anyTerm(terms, `${m.code}:contains=${m.norm}`, m.code, 'give more characters');
    }
    if (m.kind === 'token' && m.value === '' && sid !== undefined) {
      const terms = (await ctx.terms(`t${pid}_`)).endingWith(`_${sid}`, MAX_DICTIONARY_TERMS);
      return anyTerm(terms, `${m.code}=${m.system ?? ''}|`, m.code, 'give a code too');
    }
    return { fts: matchQuery(pid, m, sid, tid) };
  }
  const table = INDEX_TABLES[m.kind].table;
  const rel = 'rel_from <= ? AND rel_to > ?';
  switch (m.kind) {
    case 'token': {
      // An empty value with a system (`system|`): any code of that system.
      const cond = m.value === '' ? [] : ['value = ?'];
      const values: unknown[] = m.value === '' ? [] : [m.value];
      if (m.type !== undefined) {
        cond.push('type = ?');
        values.push(m.type);
      }
      if (sid !== undefined) {
        cond.push('sid = ?');
        values.push(sid);
      }
      return rowsPart(table, cond.length > 0 ? cond : ['1 = 1'], values, pid, q.asOf, rel);
    }
    case 'string': {
      if (m.mode === 'prefix') {
        return rowsPart(table, ['norm >= ?', 'norm < ?'], [m.norm, m.norm + PREFIX_END], pid, q.asOf, rel);
      }
      if (m.mode === 'contains') {
        const like = '%' + m.norm.replace(/[\\%_]/g, (ch) => '\\' + ch) + '%';
        return rowsPart(table, ["norm LIKE ? ESCAPE '\\'"], [like], pid, q.asOf, rel);
      }
      return m.exact === undefined
        ? rowsPart(table, ['norm = ?'], [m.norm], pid, q.asOf, rel)
        : rowsPart(table, ['norm = ?', 'exact = ?'], [m.norm, m.exact], pid, q.asOf, rel);
    }
    case 'reference':
      return rowsPart(table, ['target = ?'], [m.target], pid, q.asOf, rel);
  }
}

function rowsPart(
  table: string,
  cond: readonly string[],
  values: readonly unknown[],
  pid: number,
  asOf: number,
  rel: string,
): Part {
  return {
    sql: `v.id IN (SELECT id FROM ${table} WHERE pid = ? AND ${cond.join(' AND ')} AND ${rel})`,
    params: [pid, ...values, asOf, asOf],
  };
}
