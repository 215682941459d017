/**
 * The page token of a search's links: the search itself (its parameters), the release it is pinned to, the
 * position of the page and the total counted on the first page. Self-contained, so that any node of a cluster
 * serves any page, after a restart too: no server-side session (users-pain-points: paging that breaks).
 * Opaque to clients (base64url), checked when read back.
 */
import { invalid } from '../../error.js';

export interface PageToken {
  /** The parameters of the search, as applied (result parameters included). */
  readonly q: readonly (readonly [string, string])[];
  /** The release the search is pinned to. */
  readonly r: number;
  readonly after?: string;
  readonly before?: string;
  /** The last page. */
  readonly end?: true;
  /** The total counted on the first page. */
  readonly n?: number;
}

export function encodePageToken(t: PageToken): string {
  return Buffer.from(JSON.stringify(t)).toString('base64url');
}

export function decodePageToken(text: string): PageToken {
  let t: unknown;
  try {
    t = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    t = undefined;
  }
  const ok =
    typeof t === 'object' &&
    t !== null &&
    Array.isArray((t as PageToken).q) &&
    (t as PageToken).q.every(
      (p) => Array.isArray(p) && p.length === 2 && p.every((s) => typeof s === 'string'),
    ) &&
    Number.isInteger((t as PageToken).r);
  if (!ok) {
    throw invalid('_page: this page link is damaged; start the search again', '_page');
  }
  return t as PageToken;
}
