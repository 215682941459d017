/**
 * The stored form of a resource: its JSON text with meta.versionId and meta.lastUpdated spliced in, and a hash
 * of everything else, so a re-import of unchanged content is detected without comparing whole documents.
 *
 * This runs once per resource of a national load, so the usual case (resourceType, id and meta first, no
 * versionId/lastUpdated given, as the importers build them) costs one JSON.stringify here; the splice and the
 * hash of a new resource are left to the engine (the SQLite write worker does them off the main thread).
 */
import { hash as oneShotHash } from 'node:crypto';
import type { Resource } from '../store.js';

export interface ResourceContent {
  readonly active: boolean;
  /** The resource as JSON, without meta.versionId / meta.lastUpdated. */
  readonly canonical: string;
  /** Where the version fields go: see storedText(). */
  readonly splice: number;
  /** Hash of `canonical` (computed on first use). */
  readonly hash: string;
}

/** The content hash of a canonical text (one-shot crypto.hash: half the cost of a Hash object, Node ≥ 20.12). */
export const contentHash = (canonical: string): string =>
  oneShotHash('sha256', canonical, 'base64url').slice(0, 22);

/**
 * The stored JSON of a version. `splice` > 0: the offset just after `"meta":{` in `canonical`; < 0: the
 * resource has no meta, which opens at offset -splice (right after the id).
 */
export function storedText(
  canonical: string,
  splice: number,
  versionId: number,
  lastUpdated: string,
): string {
  if (canonical === '') {
    return '';
  }
  const version = `"versionId":"${versionId}","lastUpdated":"${lastUpdated}"`;
  if (splice < 0) {
    return `${canonical.slice(0, -splice)},"meta":{${version}}${canonical.slice(-splice)}`;
  }
  const sep = canonical.charCodeAt(splice) === 125 /* } */ ? '' : ',';
  return `${canonical.slice(0, splice)}${version}${sep}${canonical.slice(splice)}`;
}

export function resourceContent(resource: Resource): ResourceContent {
  const active = isActive(resource);
  const keys = Object.keys(resource);
  const meta = resource.meta;
  const canonicalOrder =
    keys[0] === 'resourceType' && keys[1] === 'id' && (meta === undefined || keys[2] === 'meta');
  if (!canonicalOrder || (meta !== undefined && ('versionId' in meta || 'lastUpdated' in meta))) {
    return generalContent(resource, active);
  }
  const canonical = JSON.stringify(resource);
  // `{"resourceType":…,"id":…` is a prefix of the text; meta, when present, opens right after it.
  const head = `{"resourceType":${JSON.stringify(resource.resourceType)},"id":${JSON.stringify(resource.id)}`
    .length;
  let hash: string | undefined;
  return {
    active,
    canonical,
    splice: meta === undefined ? -head : head + ',"meta":{'.length,
    get hash(): string {
      return (hash ??= contentHash(canonical));
    },
  };
}

/** Any key order, and meta.versionId / meta.lastUpdated given by the caller (ignored and replaced). */
function generalContent(resource: Resource, active: boolean): ResourceContent {
  const { resourceType, id, meta, ...body } = resource;
  const { versionId: _v, lastUpdated: _l, ...metaRest } = meta ?? {};
  const canonical: Record<string, unknown> = { resourceType, id };
  if (Object.keys(metaRest).length > 0) {
    canonical['meta'] = metaRest;
  }
  Object.assign(canonical, body);
  const content = resourceContent(canonical as Resource);
  return { active, canonical: content.canonical, splice: content.splice, hash: content.hash };
}

/**
 * Whether a resource is active: `active: false` (Practitioner, PractitionerRole, Organization, HealthcareService)
 * or `status: inactive` (Device) mark a record that left the directory.
 */
export function isActive(resource: Resource): boolean {
  return resource['active'] !== false && resource['status'] !== 'inactive';
}
