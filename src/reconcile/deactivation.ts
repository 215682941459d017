/**
 * The version a resource gets when a full extract no longer lists it: `active: false` with the minimal content
 * the official API publishes for a deletion (annuaire-formats.md §5.2) — id and identifiers, the name of an
 * Organization, the links of a PractitionerRole — so a delta client learns what left, and the record is never
 * deleted.
 */
import type { Resource } from '../store/store.js';

const KEEP: Readonly<Record<string, readonly string[]>> = {
  Practitioner: ['identifier'],
  Organization: ['identifier', 'name'],
  PractitionerRole: ['identifier', 'practitioner', 'organization'],
};

export function deactivated(current: Resource): Resource {
  const { resourceType, id, meta } = current;
  const { versionId: _v, lastUpdated: _l, ...metaRest } = (meta ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = { resourceType, id, meta: metaRest };
  if (current['language'] !== undefined) {
    out['language'] = current['language'];
  }
  for (const field of KEEP[resourceType] ?? ['identifier']) {
    if (current[field] !== undefined) {
      out[field] = current[field];
    }
  }
  out['active'] = false;
  return out as Resource;
}
