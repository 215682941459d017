/**
 * Bundles written as text around the stored JSON of each resource: a page of a thousand resources is served
 * without parsing or re-serializing them. https://hl7.org/fhir/R4/bundle.html
 */
import { randomUUID } from 'node:crypto';

export interface BundleLink {
  readonly relation: 'self' | 'first' | 'previous' | 'next' | 'last';
  readonly url: string;
}

export interface BundleEntry {
  readonly fullUrl?: string;
  /** The resource as JSON text; absent for a deletion in a history. */
  readonly json?: string;
  readonly search?: { readonly mode: 'match' | 'include' | 'outcome' };
  readonly request?: { readonly method: 'POST' | 'PUT' | 'DELETE'; readonly url: string };
  readonly response?: { readonly status: string; readonly etag?: string; readonly lastModified?: string };
}

export function bundleText(
  type: 'searchset' | 'history',
  entries: readonly BundleEntry[],
  links: readonly BundleLink[],
  total?: number,
): string {
  const head = {
    resourceType: 'Bundle',
    id: randomUUID(),
    meta: { lastUpdated: new Date().toISOString() },
    type,
    ...(total !== undefined ? { total } : {}),
    link: links,
  };
  const parts = entries.map((e) => {
    const fields: string[] = [];
    if (e.fullUrl !== undefined) {
      fields.push(`"fullUrl":${JSON.stringify(e.fullUrl)}`);
    }
    if (e.json !== undefined) {
      fields.push(`"resource":${e.json}`);
    }
    for (const k of ['search', 'request', 'response'] as const) {
      if (e[k] !== undefined) {
        fields.push(`"${k}":${JSON.stringify(e[k])}`);
      }
    }
    return `{${fields.join(',')}}`;
  });
  const start = JSON.stringify(head).slice(0, -1);
  return parts.length > 0 ? `${start},"entry":[${parts.join(',')}]}` : `${start}}`;
}
