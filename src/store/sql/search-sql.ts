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
  /**
   * The page's FROM … WHERE …, when it differs from the count's `body` (same matches, another way to reach
   * them): a page stops after `limit` rows, a count reads them all, and the cheapest way differs.
   */
  readonly page?: { readonly body: string; readonly params: readonly unknown[] };
  /**
   * A page read term by term (a string prefix or a list of terms alone, see byTerm): its terms, and the WHERE
   * of the versions (the base conditions).
   */
  readonly vocab?: Vocabulary;
}

/** The terms a page is read by: a range of the FTS5 vocabulary `[low, high)`, or a list (sorted). */
interface Vocabulary {
  readonly terms: { readonly low: string; readonly high: string } | readonly string[];
  readonly where: string;
  readonly params: readonly unknown[];
}

interface CompiledOrder {
  readonly sort: Exclude<SearchSort, { by: 'natural' }>;
  /** The SQL of the sort key, and of the tie-break (seq) for text keys. */
  readonly key: string;
  readonly seq: string;
  /** A page driven from a chain's targets (driveFromChain): the key is the target's seq, the tie its source's id. */
  readonly chain?: true;
  /** A page read term by term (byTerm): the key is the term, the tie the version's seq. */
  readonly terms?: true;
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

/**
 * One lookup as SQL or as an FTS5 expression; `null` when it can match nothing. A chain whose target query is
 * one FTS5 expression also says so (`chain`): a page may then be driven from its targets, or check each
 * candidate against them (see compileSearch).
 */
type Part =
  | { readonly fts: string }
  | { readonly sql: string; readonly params: unknown[]; readonly chain?: FtsChain }
  | null;

/** A chain to a target query that is one FTS5 expression, as of the search's release. */
interface FtsChain {
  /** The reference parameter of the source type. */
  readonly pid: number;
  readonly targetType: string;
  /** The target query (FROM search_doc … WHERE search_doc MATCH ? AND the base conditions). */
  readonly inner: CompiledSearch;
  readonly expression: string;
}

/**
 * A chain reaching more targets than this (as of the release) is checked candidate by candidate on a page,
 * rather than by listing every source it reaches first: at national scale `address-city=paris` reaches 20,000
 * organizations and 57,000 roles, which a page of 50 need not list.
 */
const BROAD_CHAIN = 1000;

/** One condition of the WHERE clause and its parameters. */
interface Entry {
  readonly sql: string;
  readonly params: readonly unknown[];
  readonly chain?: FtsChain;
}

/**
 * Returns the compiled query, or undefined when it can match nothing. `top` is false for the target query of a
 * chain or `_has`, which is only ever a subquery: no page of its own.
 */
export async function compileSearch(
  ctx: SearchContext,
  q: SearchQuery,
  top = true,
): Promise<CompiledSearch | undefined> {
  // A deletion is a version too (it answers 410 on read), but it matches no search.
  const entries: Entry[] = [
    { sql: 'v.type = ?', params: [q.resourceType] },
    { sql: 'v.rel_from <= ?', params: [q.asOf] },
    { sql: 'v.rel_to > ?', params: [q.asOf] },
    { sql: 'v.deleted = 0', params: [] },
  ];
  const BASE = entries.length;
  const ftsAll: string[] = [];
  const ftsNone: string[] = [];
  const vidSets: number[][] = [];
  const addSql = (sql: string, values: readonly unknown[], chain?: FtsChain): void => {
    entries.push({ sql, params: values, ...(chain ? { chain } : {}) });
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
    const only = parts.length === 1 && parts[0] && 'sql' in parts[0] ? parts[0].chain : undefined;
    addSql(`${not ? 'NOT ' : ''}(${sqls.join(' OR ')})`, values, not ? undefined : only);
  }

  const own = entries.slice(BASE);
  const requested = q.sort ?? { by: 'natural' };
  const chained = own.filter((e) => e.chain !== undefined);
  if (
    top &&
    requested.by === 'natural' &&
    own.length === 1 &&
    chained.length === 1 &&
    ftsAll.length === 0 &&
    ftsNone.length === 0
  ) {
    return driveFromChain(q, entries, chained[0]!.chain!);
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
    entries.unshift({ sql: 'search_doc MATCH ?', params: [expr] });
  } else if (ftsNone.length > 0) {
    addSql('v.vid NOT IN (SELECT rowid FROM search_doc WHERE search_doc MATCH ?)', [ftsNone.join(' OR ')]);
  }
  const where = entries.map((e) => e.sql);
  const params = entries.flatMap((e) => e.params);
  const sort: CompiledOrder['sort'] =
    requested.by === 'natural' ? { by: ftsAll.length > 0 ? 'seq' : 'id' } : requested;
  const key = sort.by === 'text' ? ctx.jsonText(sort.path) : sort.by === 'id' ? 'v.id' : seq;
  // The base conditions (type, release range, not deleted) are the first four; nothing else was added.
  const ftsOnly = ftsAll.length > 0 && where.length === BASE + 1 ? (params[0] as string) : undefined;
  const vidsOnly =
    ftsAll.length === 0 && ftsNone.length === 0 && where.length === BASE + 1 && vidSets.length === 1;
  const body = `FROM ${from} WHERE ${where.join(' AND ')}`;
  const terms = ftsOnly !== undefined ? termsOf(ftsOnly) : undefined;
  if (top && requested.by === 'natural' && terms !== undefined && ctx.lookups) {
    return byTerm(body, params, terms, where.slice(1).join(' AND '));
  }
  const page = top ? await checkedChains(ctx, q, entries) : undefined;
  return {
    body,
    params,
    order: { sort, key, seq },
    ...(ftsOnly !== undefined ? { ftsOnly } : {}),
    ...(where.length === BASE && ftsAll.length === 0 ? { unfiltered: true } : {}),
    ...(vidsOnly && !where[BASE]!.includes('NOT IN') ? { vidsOnly: vidSets[0]!.length } : {}),
    ...(page
      ? { page: { body: `FROM ${from} WHERE ${page.where.join(' AND ')}`, params: page.params } }
      : {}),
  };
}

/** An FTS5 expression that is one string prefix (`"s18_ben"*`, or `"s18_ben_"*` for a whole value). */
const STRING_PREFIX = /^"(s\d+_[a-z0-9_]*)"\*$/;
/** An FTS5 expression that is an OR of quoted terms (`:contains`, `system|`, several values). */
const TERM_LIST = /^"[a-z0-9_]+"(?: OR "[a-z0-9_]+")+$/;

/** The terms of an expression that a page can read one by one, if it is a string prefix or a list of terms. */
function termsOf(expression: string): Vocabulary['terms'] | undefined {
  const prefix = STRING_PREFIX.exec(expression)?.[1];
  if (prefix !== undefined) {
    // Terms hold only [0-9_a-z] (index-terms.ts hex), all below `{`.
    return { low: prefix, high: `${prefix}{` };
  }
  return TERM_LIST.test(expression)
    ? [...expression.matchAll(/"([a-z0-9_]+)"/g)].map((m) => m[1]!).sort()
    : undefined;
}

/**
 * A string prefix alone (`Practitioner?family=ben`), or an OR of terms alone (`family:contains=arti`: 585
 * terms), is paged term by term: the terms in order (fts5vocab gives a prefix's so, and SQLite keeps that
 * order through the co-routine), each with its documents. FTS5 answers a prefix query by merging the lists of
 * all its terms first (9,427 terms and 35,883 documents for `ben` at national scale, 9 ms), and an OR by
 * advancing every term for every row, where a page needs the first few terms' documents (0.3 ms). The natural
 * order becomes the term (the folded value, then its exact form), then seq: alphabetical, as a name list
 * reads. The count keeps the expression (`body`).
 */
function byTerm(
  body: string,
  params: readonly unknown[],
  terms: Vocabulary['terms'],
  where: string,
): CompiledSearch {
  return {
    body,
    params,
    ftsOnly: params[0] as string,
    order: { sort: { by: 'text', path: [] }, key: 'm.term', seq: 'search_doc.rowid', terms: true },
    vocab: { terms, where, params: params.slice(1) },
  };
}

/**
 * The page of a query whose only condition is a chain to an FTS5 expression: driven from the matching targets
 * in seq order (their versions by rowid, from the list of FTS5 matches), then from each to the sources that
 * point to it (the primary key of idx_reference, by target, then source id). Both loops give the order
 * (target seq, source id) as they go, so SQLite neither sorts nor reads past the page's rows: 2 ms for
 * Marseille's 8,837 organizations at national scale (the list), where listing the 34,183 roles they reach
 * took 91 ms.
 * A source that points to several matching targets (a role at two locations of the city) is listed once, under
 * the first of them (the lowest seq): the NOT EXISTS finds no other reference for most sources in one seek.
 */
function driveFromChain(q: SearchQuery, entries: readonly Entry[], c: FtsChain): CompiledSearch {
  const base = entries.slice(0, entries.length - 1);
  const prefix = `${c.targetType}/`;
  const rel = [q.asOf, q.asOf];
  const matches = 'IN (SELECT rowid FROM search_doc WHERE search_doc MATCH ?)';
  const targets = `o.vid ${matches} AND o.type = ? AND o.rel_from <= ? AND o.rel_to > ? AND o.deleted = 0`;
  const once = `NOT EXISTS (SELECT 1 FROM idx_reference r2 INDEXED BY idx_reference_source
      CROSS JOIN resource_version o2 ON o2.type = ? AND o2.id = substr(r2.target, ?)
      WHERE r2.pid = r.pid AND r2.id = r.id AND r2.rel_from <= ? AND r2.rel_to > ?
        AND r2.target >= ? AND r2.target < ? AND r2.target <> r.target
        AND o2.rel_from <= ? AND o2.rel_to > ? AND o2.deleted = 0 AND o2.vid < o.vid AND o2.vid ${matches})`;
  const from = `resource_version o
    CROSS JOIN idx_reference r ON r.pid = ? AND r.target = ? || o.id AND r.rel_from <= ? AND r.rel_to > ?
    CROSS JOIN resource_version v ON v.id = r.id`;
  const where = [targets, ...base.map((e) => e.sql), once];
  const params = [
    ...[c.pid, prefix, ...rel],
    ...[c.expression, c.targetType, ...rel],
    ...base.flatMap((e) => e.params),
    ...[c.targetType, prefix.length + 1, ...rel, prefix, `${c.targetType}0`, ...rel, c.expression],
  ];
  return {
    // The count: the distinct sources of the reference rows to the matching targets, by the primary key (rows
    // valid as of the release belong to current, undeleted versions): Marseille's 34,183 roles in 50 ms at
    // national scale, where checking each role's version took 160 ms.
    body: `FROM (SELECT DISTINCT r.id FROM (SELECT ? || v.id AS target ${c.inner.body}) AS t
      CROSS JOIN idx_reference r ON r.pid = ? AND r.target = t.target WHERE r.rel_from <= ? AND r.rel_to > ?) AS v`,
    params: [prefix, ...c.inner.params, c.pid, ...rel],
    // Given as a text sort so that the store selects the target's seq for the position (`o.vid AS sort_key`).
    order: { sort: { by: 'text', path: [] }, key: 'o.vid', seq: 'r.id', chain: true },
    page: { body: `FROM ${from} WHERE ${where.join(' AND ')}`, params },
  };
}

/**
 * For a page, a broad chain (more than BROAD_CHAIN targets as of the release) is checked candidate by
 * candidate: the candidate's references (idx_reference_source, one seek), the target's visible version, and
 * whether its seq is among the FTS5 matches (one list of rowids, without a join). Listing every source the
 * chain reaches first costs in proportion to them (57,000 roles for Paris at national scale), however few a
 * page needs. Returns the WHERE entries of the page when one chain was replaced.
 */
async function checkedChains(
  ctx: SearchContext,
  q: SearchQuery,
  entries: readonly Entry[],
): Promise<{ where: string[]; params: unknown[] } | undefined> {
  let replaced = false;
  const out: Entry[] = [];
  for (const e of entries) {
    if (e.chain === undefined || !(await broad(ctx, e.chain))) {
      out.push(e);
      continue;
    }
    replaced = true;
    const c = e.chain;
    const prefix = `${c.targetType}/`;
    out.push({
      sql: `EXISTS (SELECT 1 FROM idx_reference r INDEXED BY idx_reference_source
        CROSS JOIN resource_version o ON o.type = ? AND o.id = substr(r.target, ?)
        WHERE r.pid = ? AND r.id = v.id AND r.rel_from <= ? AND r.rel_to > ? AND r.target >= ? AND r.target < ?
          AND o.rel_from <= ? AND o.rel_to > ? AND o.deleted = 0
          AND o.vid IN (SELECT rowid FROM search_doc WHERE search_doc MATCH ?))`,
      params: [
        c.targetType,
        prefix.length + 1,
        c.pid,
        q.asOf,
        q.asOf,
        prefix,
        `${c.targetType}0`,
        q.asOf,
        q.asOf,
        c.expression,
      ],
    });
  }
  return replaced ? { where: out.map((e) => e.sql), params: out.flatMap((e) => e.params) } : undefined;
}

/** Whether a chain reaches more than BROAD_CHAIN targets as of the release (reads at most that many). */
async function broad(ctx: SearchContext, c: FtsChain): Promise<boolean> {
  const terms = termsOf(c.expression);
  // A prefix (`address-city=marseille`): the vocabulary counts its documents without merging their lists
  // (0.3 ms, where reading the first thousand matches took 1.7 ms at national scale). Documents of every
  // version: an upper bound, which is enough to choose how a page checks the chain (its results are the same).
  const row =
    terms !== undefined && !Array.isArray(terms)
      ? await ctx.db.get<{ n: number }>(
          'SELECT coalesce(sum(doc), 0) AS n FROM search_vocab WHERE term >= ? AND term < ?',
          [(terms as { low: string }).low, (terms as { high: string }).high],
        )
      : await ctx.db.get<{ n: number }>(`SELECT count(*) AS n FROM (SELECT 1 ${c.inner.body} LIMIT ?)`, [
          ...c.inner.params,
          BROAD_CHAIN + 1,
        ]);
  return (row?.n ?? 0) > BROAD_CHAIN;
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
  if (c.vocab !== undefined) {
    return termPageSql(c.vocab, after, desc, limit);
  }
  const body = c.page?.body ?? c.body;
  const params = [...(c.page?.params ?? c.params)];
  let keyset = '';
  if (after !== undefined) {
    const pos = parseAfter(after, c.order.chain ? 'chain' : sort.by === 'text' ? 'text' : 'key');
    if (c.order.chain) {
      // The bound on the target's seq first: SQLite skips the targets before it without reading them.
      keyset = ` AND ${key} ${cmp}= ? AND (${key} ${cmp} ? OR ${seq} ${cmp} ?)`;
      params.push(pos[0], pos[0], pos[1]);
    } else if (sort.by === 'text') {
      keyset = ` AND (${key} ${cmp} ? OR (${key} = ? AND ${seq} ${cmp} ?))`;
      params.push(pos[0], pos[0], pos[1]);
    } else if (sort.by === 'seq') {
      // Cast: a JavaScript number is bound as a REAL, and FTS5 ignores a REAL bound on its rowid (it would
      // read the matches from the first to reach the page).
      keyset = ` AND ${key} ${cmp} CAST(? AS BIGINT)`;
      params.push(pos[0]);
    } else {
      keyset = ` AND ${key} ${cmp} ?`;
      params.push(pos[0]);
    }
  }
  const order = sort.by === 'text' ? `${key} ${dir}, ${seq} ${dir}` : `${key} ${dir}`;
  params.push(limit);
  return { sql: `${body}${keyset} ORDER BY ${order} LIMIT ?`, params };
}

/** A page read term by term (byTerm): the position's term bounds the scan of the terms itself. */
function termPageSql(
  v: Vocabulary,
  after: string | undefined,
  desc: boolean,
  limit: number,
): { sql: string; params: unknown[] } {
  const pos = after === undefined ? undefined : (parseAfter(after, 'text') as [string, number]);
  const dir = desc ? 'DESC' : 'ASC';
  const cmp = desc ? '<' : '>';
  let terms: string;
  let bounds: unknown[];
  if (Array.isArray(v.terms)) {
    // '~' sorts after every term.
    terms = `SELECT value AS term FROM json_each(?) WHERE value ${desc ? '<=' : '>='} ?`;
    bounds = [JSON.stringify(v.terms), pos?.[0] ?? (desc ? '~' : '')];
  } else {
    const { low, high } = v.terms as { low: string; high: string };
    terms = `SELECT term FROM search_vocab WHERE term >= ? AND term ${pos && desc ? '<=' : '<'} ?`;
    bounds = pos === undefined ? [low, high] : desc ? [low, pos[0]] : [pos[0] > low ? pos[0] : low, high];
  }
  const keyset = pos === undefined ? '' : ` AND (m.term ${cmp} ? OR search_doc.rowid ${cmp} ?)`;
  // Forwards, the ORDER BY names the term alone: a term's documents come in ascending rowid, as FTS5 returns a
  // MATCH's rows, and naming the rowid too made SQLite sort each term's documents, all of them, before the
  // first row (21,230 for `address-postalcode=13001` at national scale: 40 ms, against 0.2 ms). Backwards,
  // FTS5 cannot be told to go down without an ORDER BY of its own: the order is spelled out, and sorted.
  const order = desc ? 'm.term DESC, search_doc.rowid DESC' : 'm.term ASC';
  return {
    // The MATCH of each term is its quoted text: terms hold no quote.
    sql: `FROM (${terms} ORDER BY term ${dir} LIMIT -1) AS m
      CROSS JOIN search_doc ON search_doc MATCH ('"' || m.term || '"')
      CROSS JOIN resource_version v INDEXED BY resource_version_seq ON v.vid = search_doc.rowid
      WHERE ${v.where}${keyset} ORDER BY ${order} LIMIT ?`,
    params: [...bounds, ...v.params, ...(pos === undefined ? [] : [pos[0], pos[1]]), limit],
  };
}

/** The position of a row, to be given back as `after`. */
export function positionOf(
  c: CompiledSearch,
  row: { vid: number | string; id: string; sort_key?: string | number },
): string {
  if (c.order.chain) {
    return JSON.stringify([Number(row.sort_key), row.id]);
  }
  switch (c.order.sort.by) {
    case 'seq':
      return JSON.stringify([Number(row.vid)]);
    case 'id':
      return JSON.stringify([row.id]);
    case 'text':
      return JSON.stringify([row.sort_key ?? '', Number(row.vid)]);
  }
}

/** A position: one key (seq or id), a text key and a seq, or a target's seq and a source's id (a chain). */
function parseAfter(after: string, shape: 'key' | 'text' | 'chain'): unknown[] {
  let pos: unknown;
  try {
    pos = JSON.parse(after);
  } catch {
    pos = undefined;
  }
  const ok =
    Array.isArray(pos) &&
    (shape === 'text'
      ? pos.length === 2 && typeof pos[0] === 'string' && Number.isSafeInteger(pos[1])
      : shape === 'chain'
        ? pos.length === 2 && Number.isSafeInteger(pos[0]) && typeof pos[1] === 'string'
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
      const rel = 'r.rel_from <= ? AND r.rel_to > ?';
      const prefix = `${target}/`;
      const direct = c.kind === 'referencedBy' ? await referringIds(ctx, q, c) : undefined;
      if (direct === 'none') {
        return 'none';
      }
      if (direct !== undefined) {
        const sql = `v.id IN (SELECT substr(r.target, ?) FROM idx_reference r WHERE r.pid = ? AND ${rel}
              AND r.target >= ? AND r.target < ? AND r.id IN (${direct.sql}))`;
        return {
          parts: [
            { sql, params: [prefix.length + 1, pid, q.asOf, q.asOf, prefix, `${target}0`, ...direct.params] },
          ],
          not: false,
        };
      }
      const inner = await compileSearch(
        ctx,
        {
          resourceType: c.kind === 'refersTo' ? c.targetType : c.sourceType,
          where: c.where,
          asOf: q.asOf,
          limit: 0,
        },
        false,
      );
      if (inner === undefined) {
        return 'none';
      }
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
      // A chain to one FTS5 expression may drive a page, or be checked candidate by candidate (compileSearch);
      // both need the lookups of migration 0007.
      const chain =
        c.kind === 'refersTo' && inner.ftsOnly !== undefined && ctx.lookups
          ? { pid, targetType: c.targetType, inner, expression: inner.ftsOnly }
          : undefined;
      return { parts: [{ sql, params, ...(chain ? { chain } : {}) }], not: false };
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

/**
 * The sources of a `_has` whose condition is one reference parameter (`_has:PractitionerRole:practitioner:
 * organization=X`), read from the reference rows alone: rows valid as of the release belong to current,
 * undeleted versions (a deletion closes them), so the versions need not be read (1,460 seeks and rows for a
 * Marseille hospital's roles at national scale). Undefined when the condition is another kind; 'none' when the
 * parameter has no rows.
 */
async function referringIds(
  ctx: SearchContext,
  q: SearchQuery,
  c: Extract<SearchCondition, { kind: 'referencedBy' }>,
): Promise<{ sql: string; params: unknown[] } | 'none' | undefined> {
  const [w] = c.where;
  if (c.where.length !== 1 || w?.kind !== 'match' || w.not || ctx.documents.has('reference')) {
    return undefined;
  }
  const refs = w.any.filter((m) => m.kind === 'reference');
  const code = refs[0]?.code;
  if (refs.length === 0 || refs.length !== w.any.length || refs.some((m) => m.code !== code)) {
    return undefined;
  }
  const pid = await ctx.pid(c.sourceType, code!, 'reference');
  if (pid === undefined) {
    return 'none';
  }
  return {
    sql: `SELECT id FROM idx_reference WHERE pid = ? AND target IN (${refs.map(() => '?').join(', ')})
      AND rel_from <= ? AND rel_to > ?`,
    params: [pid, ...refs.map((m) => m.target), q.asOf, q.asOf],
  };
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
