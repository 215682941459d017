/**
 * The stored form of a resource: its JSON text with meta.versionId and meta.lastUpdated spliced in, and a hash
 * of everything else, so a re-import of unchanged content is detected without comparing whole documents.
 *
 * This runs once per resource of a national load, so the usual case (resourceType, id and meta first, no
 * versionId/lastUpdated given, as the importers build them) costs one JSON.stringify and one hash, and the
 * version fields are spliced into that text.
 */
import { createHash } from 'node:crypto';
import type { Resource } from '../store.js';

export interface ResourceContent {
  /** Hash of the resource without meta.versionId / meta.lastUpdated. */
  readonly hash: string;
  readonly active: boolean;
  /** Builds the stored JSON for a given version. */
  readonly text: (versionId: number, lastUpdated: string) => string;
}

const hashOf = (text: string): string => createHash('sha256').update(text).digest('base64url').slice(0, 22);

export function resourceContent(resource: Resource): ResourceContent {
  const active = isActive(resource);
  const keys = Object.keys(resource);
  const meta = resource.meta;
  const canonicalOrder =
    keys[0] === 'resourceType' && keys[1] === 'id' && (meta === undefined || keys[2] === 'meta');
  if (canonicalOrder && (meta === undefined || (!('versionId' in meta) && !('lastUpdated' in meta)))) {
    const text = JSON.stringify(resource);
    // `{"resourceType":…,"id":…` is a prefix of the text; meta, when present, opens right after it.
    const head = `{"resourceType":${JSON.stringify(resource.resourceType)},"id":${JSON.stringify(resource.id)}`;
    const rest = text.slice(head.length);
    return {
      hash: hashOf(text),
      active,
      text: (versionId, lastUpdated) => {
        const version = `"versionId":"${versionId}","lastUpdated":"${lastUpdated}"`;
        if (meta === undefined) {
          return `${head},"meta":{${version}}${rest}`;
        }
        // rest starts with `,"meta":{`; an empty meta is `{}`.
        const body = rest.slice(',"meta":{'.length);
        return `${head},"meta":{${version}${body.startsWith('}') ? '' : ','}${body}`;
      },
    };
  }
  return generalContent(resource, active);
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
  return { ...resourceContent(canonical as Resource), active };
}

/**
 * Whether a resource is active: `active: false` (Practitioner, PractitionerRole, Organization, HealthcareService)
 * or `status: inactive` (Device) mark a record that left the directory.
 */
export function isActive(resource: Resource): boolean {
  return resource['active'] !== false && resource['status'] !== 'inactive';
}
