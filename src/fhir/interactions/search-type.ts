/**
 * FHIR search-type: a searchset Bundle, keyset-paged and pinned to the release of its first page.
 * https://hl7.org/fhir/R4/http.html#search
 *
 * Links self, first, previous, next and last carry a page token (page-token.ts) that holds the whole search:
 * a page is served by any node, after a restart too, and sees the directory as the first page did.
 */
import { invalid } from '../../error.js';
import type { SearchSort, StoredVersion } from '../../store/store.js';
import type { Access } from '../access.js';
import { bundleText, type BundleEntry, type BundleLink } from '../bundle.js';
import type { FhirContext, RequestOptions } from '../context.js';
import { parseSubset, subsetJson, type Subset } from '../elements.js';
import { perimeterOf } from '../perimeter.js';
import { checkSnapshot } from '../snapshot.js';
import { decodePageToken, encodePageToken, type PageToken } from '../search/page-token.js';
import { parseSearch, type ResultParameters } from '../search/parse.js';
import { planSearch } from '../search/plan.js';
import { includes, revincludes } from './include.js';
import { checkType } from './resource-type.js';

export const DEFAULT_COUNT = 50;
export const MAX_COUNT = 1000;

/** The result parameters kept in page tokens and links. */
const RESULT_KEYS = [
  '_count',
  '_sort',
  '_total',
  '_summary',
  '_elements',
  '_include',
  '_revinclude',
] as const;

export async function searchType(
  ctx: FhirContext,
  access: Access,
  type: string,
  pairs: readonly (readonly [string, string])[],
  options: RequestOptions,
): Promise<string> {
  checkType(type);
  const given = parseSearch(pairs);
  const token = given.result.page !== undefined ? decodePageToken(given.result.page) : undefined;
  // A page link carries the whole search; other parameters beside it are not applied.
  const parsed = token ? parseSearch(token.q) : given;
  const asOf = token?.r ?? (await ctx.store.currentRelease());
  if (token) {
    await checkSnapshot(ctx.store, access, asOf);
  }
  const plan = await planSearch(type, parsed.clauses, {
    store: ctx.store,
    params: ctx.params,
    asOf,
    strict: options.strict,
  });
  const result = parsed.result;
  const count = pageSize(result.count);
  const sort = sortOf(type, result.sort);
  const summary = result.summary;
  const query = { resourceType: type, where: plan.conditions, asOf, sort, limit: count };
  // The search as applied: used clauses and result parameters, replayed by every link.
  const applied: [string, string][] = [
    ...plan.used.map((c): [string, string] => [c.key, c.raw]),
    ...resultPairs(result),
  ];

  if (summary === 'count') {
    const total = token?.n ?? (await ctx.store.count(query));
    return bundleText('searchset', [], [{ relation: 'self', url: link(options.base, type, applied) }], total);
  }
  const subset = parseSubset(summary, result.elements);
  const totalMode = result.total ?? 'accurate';
  if (!['none', 'estimate', 'accurate'].includes(totalMode)) {
    throw invalid(`_total: "${totalMode}" is not one of none, estimate, accurate`, '_total');
  }
  const page = await ctx.store.search({
    ...query,
    ...(token?.after !== undefined ? { after: token.after } : {}),
    ...(token?.before !== undefined ? { before: token.before } : {}),
    ...(token?.end ? { fromEnd: true } : {}),
  });
  // Counted once, on the first page, and carried by the links (the same snapshot: the same total).
  const total = totalMode === 'none' ? undefined : (token?.n ?? (await ctx.store.count(query)));

  // Each resource cut to the access's perimeter before _elements or _summary (perimeter.ts).
  const view = perimeterOf(access);
  const entries: BundleEntry[] = page.versions.map((v) => entry(options.base, view(v), 'match', subset));
  const forward = await includes(ctx, page.versions, result.include, asOf);
  const reverse = await revincludes(ctx, type, page.versions, result.revinclude, asOf);
  entries.push(
    ...[...forward.versions, ...reverse.versions].map((v) => entry(options.base, view(v), 'include', subset)),
  );
  // One OperationOutcome for what the page did not apply or include. https://hl7.org/fhir/R4/bundle.html#searchset
  const issues = [
    ...plan.ignored.map((diagnostics) => ({ severity: 'warning', code: 'not-supported', diagnostics })),
    ...[...forward.notes, ...reverse.notes].map((diagnostics) => ({
      severity: 'warning',
      code: 'incomplete',
      diagnostics,
    })),
  ];
  if (issues.length > 0) {
    entries.push({
      json: JSON.stringify({ resourceType: 'OperationOutcome', issue: issues }),
      search: { mode: 'outcome' },
    });
  }

  const base: PageToken = { q: applied, r: asOf, ...(total !== undefined ? { n: total } : {}) };
  const url = (t: PageToken): string => link(options.base, type, [['_page', encodePageToken(t)]]);
  const links: BundleLink[] = [
    { relation: 'self', url: token ? url(token) : link(options.base, type, applied) },
    { relation: 'first', url: url(base) },
  ];
  if (page.before !== undefined) {
    links.push({ relation: 'previous', url: url({ ...base, before: page.before }) });
  }
  if (page.after !== undefined) {
    links.push({ relation: 'next', url: url({ ...base, after: page.after }) });
  }
  links.push({ relation: 'last', url: url({ ...base, end: true }) });
  return bundleText('searchset', entries, links, total);
}

function entry(
  base: string,
  v: StoredVersion,
  mode: 'match' | 'include',
  subset: Subset | undefined,
): BundleEntry {
  return {
    fullUrl: `${base}/${v.resourceType}/${v.id}`,
    json: subset ? subsetJson(v.json, subset) : v.json,
    search: { mode },
  };
}

function pageSize(text: string | undefined): number {
  if (text === undefined) {
    return DEFAULT_COUNT;
  }
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) {
    throw invalid(`_count: "${text}" is not a whole number`, '_count');
  }
  return Math.min(n, MAX_COUNT);
}

/** JSON paths of the string sort keys (the first name, as FHIR sorts on the first repetition). */
const TEXT_SORT: Readonly<Record<string, Readonly<Record<string, readonly (string | number)[]>>>> = {
  Practitioner: {
    name: ['name', 0, 'family'],
    family: ['name', 0, 'family'],
    given: ['name', 0, 'given', 0],
  },
  Organization: {
    name: ['name'],
    'address-city': ['address', 0, 'city'],
    'address-postalcode': ['address', 0, 'postalCode'],
  },
  HealthcareService: { name: ['name'] },
  Device: { model: ['modelNumber'], manufacturer: ['manufacturer'] },
};

function sortOf(type: string, text: string | undefined): SearchSort {
  if (text === undefined || text === '') {
    return { by: 'natural' };
  }
  const keys = text.split(',');
  if (keys.length > 1) {
    throw invalid(`_sort: one sort key at a time is served (got ${keys.length})`, '_sort');
  }
  const desc = text.startsWith('-');
  const code = desc ? text.slice(1) : text;
  if (code === '_id') {
    return { by: 'id', desc };
  }
  if (code === '_lastUpdated') {
    // Versions are numbered in the order they are written, so their seq orders them by lastUpdated.
    return { by: 'seq', desc };
  }
  const path = TEXT_SORT[type]?.[code];
  if (!path) {
    const known = ['_id', '_lastUpdated', ...Object.keys(TEXT_SORT[type] ?? {})];
    throw invalid(`_sort: ${type} cannot be sorted by "${code}" (sorts: ${known.join(', ')})`, '_sort');
  }
  return { by: 'text', path, desc };
}

function resultPairs(r: ResultParameters): [string, string][] {
  const out: [string, string][] = [];
  for (const key of RESULT_KEYS) {
    switch (key) {
      case '_include':
        r.include.forEach((v) =>
          out.push(v.endsWith(':iterate') ? ['_include:iterate', v.slice(0, -8)] : ['_include', v]),
        );
        break;
      case '_revinclude':
        r.revinclude.forEach((v) =>
          out.push(v.endsWith(':iterate') ? ['_revinclude:iterate', v.slice(0, -8)] : ['_revinclude', v]),
        );
        break;
      default: {
        const v = r[key.slice(1) as 'count' | 'sort' | 'total' | 'summary' | 'elements'];
        if (v !== undefined) {
          out.push([key, v]);
        }
      }
    }
  }
  return out;
}

export function link(base: string, type: string, pairs: readonly (readonly [string, string])[]): string {
  const q = new URLSearchParams(pairs as [string, string][]).toString();
  return `${base}/${type}${q ? `?${q}` : ''}`;
}
