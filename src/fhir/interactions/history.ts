/**
 * FHIR history at instance, type and system level: every version, deactivations and deletions included, in the
 * order they were written, keyset-paged by change-feed position and pinned to a release. No 30-day window:
 * versions are kept for ever (users-pain-points #5); a retention, when the server sets one, only refuses a `_since`
 * older than it (410). https://hl7.org/fhir/R4/http.html#history
 *
 * Without the historized scope a history is a delta feed: only the versions current as of the page's release
 * (a resource changed since appears once, at its latest version; deactivations as tombstones, deletions as
 * DELETE entries), each cut to the access's perimeter (perimeter.ts). Pages keep their positions either way.
 */
import { AnnuaireError, invalid, notFound } from '../../error.js';
import type { StoredVersion } from '../../store/store.js';
import type { Access } from '../access.js';
import { maySee, perimeterOf } from '../perimeter.js';
import { checkSnapshot } from '../snapshot.js';
import { bundleText, type BundleEntry, type BundleLink } from '../bundle.js';
import type { FhirContext, RequestOptions } from '../context.js';
import { dateRange } from '../search/date.js';
import { decodePageToken, encodePageToken, type PageToken } from '../search/page-token.js';
import { DEFAULT_COUNT, MAX_COUNT } from './search-type.js';
import { checkType } from './resource-type.js';

export interface HistoryTarget {
  readonly type?: string;
  readonly id?: string;
}

export async function history(
  ctx: FhirContext,
  access: Access,
  target: HistoryTarget,
  pairs: readonly (readonly [string, string])[],
  options: RequestOptions,
): Promise<string> {
  if (target.type !== undefined) {
    checkType(target.type);
  }
  const given = new Map(pairs.filter(([k]) => k !== '_format' && k !== '_pretty'));
  const token = given.has('_page') ? decodePageToken(given.get('_page')!) : undefined;
  const q = new Map(token ? token.q : [...given]);
  for (const key of q.keys()) {
    if (key !== '_since' && key !== '_count' && options.strict) {
      throw invalid(`unknown parameter "${key}" for _history (it takes _since and _count)`, key);
    }
  }
  const count = Math.min(MAX_COUNT, Number(q.get('_count') ?? DEFAULT_COUNT));
  if (!Number.isInteger(count) || count < 0) {
    throw invalid(`_count: "${q.get('_count') ?? ''}" is not a whole number`, '_count');
  }
  const since = q.has('_since') ? dateRange(q.get('_since')!, '_since').low : undefined;
  checkRetention(since, ctx.historyRetentionDays);
  const upTo = token?.r ?? (await ctx.store.currentRelease());
  if (token) {
    await checkSnapshot(ctx.store, access, upTo);
  }
  // Newest first, as FHIR orders a history; the next page starts below the last seq of this one.
  const beforeSeq = token?.after !== undefined ? Number(token.after) : undefined;
  const versions = await ctx.store.changes({
    ...(target.type !== undefined ? { resourceType: target.type } : {}),
    ...(target.id !== undefined ? { id: target.id } : {}),
    ...(since ? { since } : {}),
    newestFirst: true,
    ...(beforeSeq !== undefined ? { beforeSeq } : {}),
    upToRelease: upTo,
    limit: count + 1,
  });
  if (target.id !== undefined && beforeSeq === undefined && versions.length === 0 && !since) {
    throw notFound(`${target.type}/${target.id} is not known`);
  }
  const more = versions.length > count;
  const page = more ? versions.slice(0, count) : versions;
  const applied: [string, string][] = [...q].filter(([k]) => k === '_since' || k === '_count');
  const path = [target.type, target.id].filter((p) => p !== undefined).join('/');
  const url = (pairs2: readonly (readonly [string, string])[]): string => {
    const s = new URLSearchParams(pairs2 as [string, string][]).toString();
    return `${options.base}${path ? `/${path}` : ''}/_history${s ? `?${s}` : ''}`;
  };
  const base: PageToken = { q: applied, r: upTo };
  const links: BundleLink[] = [
    { relation: 'self', url: token ? url([['_page', encodePageToken(token)]]) : url(applied) },
    { relation: 'first', url: url([['_page', encodePageToken(base)]]) },
  ];
  const last = page.at(-1);
  if (more && last) {
    links.push({
      relation: 'next',
      url: url([['_page', encodePageToken({ ...base, after: String(last.seq) })]]),
    });
  }
  const view = perimeterOf(access);
  return bundleText(
    'history',
    page.filter((v) => maySee(access, v, upTo)).map((v) => historyEntry(options.base, view(v))),
    links,
  );
}

/**
 * A change feed that keeps `days` of changes answers 410 for a `_since` older than that, rather than a delta
 * that would silently miss changes: the client starts again from a full $export. Without a retention (the
 * default) every change since the first release is served.
 */
function checkRetention(since: Date | undefined, days: number | undefined, now = Date.now()): void {
  if (since === undefined || days === undefined) {
    return;
  }
  const horizon = new Date(now - days * 24 * 60 * 60 * 1000);
  if (since < horizon) {
    throw new AnnuaireError(
      410,
      'processing',
      `_since: ${since.toISOString()} is older than the ${days} days of changes this server keeps (since ${horizon.toISOString()}); start again from a full $export`,
      '_since',
    );
  }
}

function historyEntry(base: string, v: StoredVersion): BundleEntry {
  const url = `${v.resourceType}/${v.id}`;
  const etag = `W/"${v.versionId}"`;
  if (v.deleted) {
    return {
      fullUrl: `${base}/${url}`,
      request: { method: 'DELETE', url },
      response: { status: '204', etag, lastModified: v.lastUpdated },
    };
  }
  return {
    fullUrl: `${base}/${url}`,
    json: v.json,
    request: v.versionId === 1 ? { method: 'POST', url: v.resourceType } : { method: 'PUT', url },
    response: { status: v.versionId === 1 ? '201' : '200', etag, lastModified: v.lastUpdated },
  };
}
