/**
 * The stored form of a resource: its JSON text with meta.versionId and meta.lastUpdated spliced in, and a hash
 * of everything else, so a re-import of unchanged content is detected without comparing whole documents.
 *
 * The text is built in one JSON.stringify pass (splicing, not re-serializing) because this runs once per
 * resource of a national load.
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

export function resourceContent(resource: Resource): ResourceContent {
  const { resourceType, id, meta, ...body } = resource;
  const { versionId: _v, lastUpdated: _l, ...metaRest } = meta ?? {};
  const head = `{"resourceType":${JSON.stringify(resourceType)},"id":${JSON.stringify(id)}`;
  const metaText = Object.keys(metaRest).length > 0 ? JSON.stringify(metaRest).slice(1, -1) : '';
  const bodyText = JSON.stringify(body).slice(1, -1);
  const hash = createHash('sha256')
    .update(head)
    .update('\u0000')
    .update(metaText)
    .update('\u0000')
    .update(bodyText)
    .digest('base64url')
    .slice(0, 22);
  return {
    hash,
    active: isActive(resource),
    text: (versionId, lastUpdated) =>
      `${head},"meta":{"versionId":"${versionId}","lastUpdated":"${lastUpdated}"${metaText ? ',' + metaText : ''}}` +
      (bodyText ? ',' + bodyText : '') +
      '}',
  };
}

/**
 * Whether a resource is active: `active: false` (Practitioner, PractitionerRole, Organization, HealthcareService)
 * or `status: inactive` (Device) mark a record that left the directory.
 */
export function isActive(resource: Resource): boolean {
  return resource['active'] !== false && resource['status'] !== 'inactive';
}
