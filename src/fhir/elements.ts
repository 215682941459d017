/**
 * `_elements` and `_summary`: a subset of each resource, tagged SUBSETTED as FHIR requires.
 * https://hl7.org/fhir/R4/search.html#elements and #summary
 */
import { invalid } from '../error.js';

/** Elements marked "summary" in the R4 definitions of the types the API serves (and always id and meta). */
const SUMMARY: Readonly<Record<string, readonly string[]>> = {
  Practitioner: ['identifier', 'active', 'name', 'telecom', 'address', 'gender', 'birthDate'],
  PractitionerRole: [
    'identifier',
    'active',
    'period',
    'practitioner',
    'organization',
    'code',
    'specialty',
    'location',
    'healthcareService',
    'telecom',
    'endpoint',
  ],
  Organization: ['identifier', 'active', 'type', 'name', 'alias', 'partOf', 'endpoint'],
  HealthcareService: [
    'identifier',
    'active',
    'providedBy',
    'category',
    'type',
    'specialty',
    'location',
    'name',
    'program',
    'eligibility',
    'endpoint',
  ],
  Device: ['identifier', 'udiCarrier', 'status', 'deviceName', 'modelNumber', 'type', 'version', 'owner'],
  CodeSystem: [
    'url',
    'identifier',
    'version',
    'name',
    'title',
    'status',
    'experimental',
    'date',
    'publisher',
    'content',
    'count',
  ],
};

const SUBSETTED = { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'SUBSETTED' };
const ALWAYS = new Set(['resourceType', 'id', 'meta']);

export type Subset =
  | { readonly kind: 'elements'; readonly names: ReadonlySet<string> }
  | { readonly kind: 'summary' }
  | { readonly kind: 'data' }
  | { readonly kind: 'text' };

/** The subset asked for, or undefined for whole resources; throws 400 on a bad value. */
export function parseSubset(summary: string | undefined, elements: string | undefined): Subset | undefined {
  if (elements !== undefined) {
    const names = elements
      .split(',')
      .map((e) => e.trim())
      .filter((e) => e !== '');
    for (const n of names) {
      if (!/^[A-Za-z][A-Za-z0-9]*$/.test(n)) {
        throw invalid(`_elements: "${n}" is not an element name`, '_elements');
      }
    }
    return { kind: 'elements', names: new Set(names) };
  }
  switch (summary) {
    case undefined:
    case 'false':
      return undefined;
    case 'true':
      return { kind: 'summary' };
    case 'data':
      return { kind: 'data' };
    case 'text':
      return { kind: 'text' };
    default:
      throw invalid(`_summary: "${summary}" is not one of true, false, count, data, text`, '_summary');
  }
}

/** The JSON text of the subset of a resource. */
export function subsetJson(json: string, subset: Subset): string {
  const resource = JSON.parse(json) as Record<string, unknown>;
  const type = String(resource['resourceType']);
  let keep: (key: string) => boolean;
  switch (subset.kind) {
    case 'elements':
      keep = (k) => subset.names.has(k);
      break;
    case 'summary': {
      const summary = new Set(SUMMARY[type] ?? []);
      keep = (k) => summary.has(k);
      break;
    }
    case 'data':
      keep = (k) => k !== 'text';
      break;
    case 'text':
      keep = (k) => k === 'text';
      break;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(resource)) {
    if (ALWAYS.has(k) || keep(k)) {
      out[k] = v;
    }
  }
  const meta = { ...((out['meta'] as Record<string, unknown> | undefined) ?? {}) };
  meta['tag'] = [...((meta['tag'] as unknown[] | undefined) ?? []), SUBSETTED];
  out['meta'] = meta;
  return JSON.stringify(out);
}
