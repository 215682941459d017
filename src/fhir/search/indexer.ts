/**
 * Derives a resource's index entries from the search-parameter table. Pure and deterministic: the store
 * re-runs it on old versions to close the rows they opened (store/store.ts Indexer).
 */
import type { Indexer, IndexEntry, Resource } from '../../store/store.js';
import { fold } from './fold.js';
import { geohash } from './geohash.js';
import type { SearchParameter } from './search-parameters.js';

/** Bump when the entries produced for a given resource change (the store then asks for a reindex). */
export const INDEXER_VERSION = '8';

type Json = unknown;
type JsonObject = { readonly [key: string]: Json };

const isObject = (v: Json): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A path step: a field, or extensions with a given URL. */
type Step = { readonly field: string; readonly url?: string };

/** Parses a dotted path once (`extension(url)` steps may contain dots). */
export function compilePath(path: string): Step[] {
  return path.split(/\.(?![^(]*\))/).map((segment) => {
    const ext = /^extension\((.+)\)$/.exec(segment);
    return ext ? { field: 'extension', url: ext[1]! } : { field: segment };
  });
}

/** Evaluates a compiled path; arrays are flattened at every step, as in FHIRPath. */
export function select(root: Json, steps: readonly Step[]): Json[] {
  const out: Json[] = [];
  visit(root, steps, 0, (node) => out.push(node));
  return out;
}

/**
 * Calls `found` with each node a path reaches from `node`, depth first, in document order. No intermediate
 * arrays: this runs for every parameter of every resource of a national load.
 */
function visit(node: Json, steps: readonly Step[], at: number, found: (node: Json) => void): void {
  if (at === steps.length) {
    found(node);
    return;
  }
  if (!isObject(node)) {
    return;
  }
  const step = steps[at]!;
  const value = node[step.field];
  if (value === undefined) {
    return;
  }
  if (!Array.isArray(value)) {
    if (step.url === undefined || (isObject(value) && value['url'] === step.url)) {
      visit(value, steps, at + 1, found);
    }
    return;
  }
  for (const item of value as Json[]) {
    if (step.url === undefined || (isObject(item) && item['url'] === step.url)) {
      visit(item, steps, at + 1, found);
    }
  }
}

/** The parts of a HumanName or Address a string parameter matches. */
const TEXT_PARTS = [
  'text',
  'family',
  'given',
  'prefix',
  'suffix',
  'line',
  'city',
  'district',
  'postalCode',
  'country',
] as const;

function pushString(out: IndexEntry[], code: string, s: unknown): void {
  if (typeof s === 'string' && s !== '') {
    out.push({ kind: 'string', code, norm: fold(s), exact: s });
  }
}

/** Entries of a string-typed node: a string, or the parts of a HumanName or Address. */
function strings(out: IndexEntry[], code: string, node: Json): void {
  if (!isObject(node)) {
    pushString(out, code, node);
    return;
  }
  for (const key of TEXT_PARTS) {
    const v = node[key];
    if (Array.isArray(v)) {
      for (const s of v as Json[]) {
        pushString(out, code, s);
      }
    } else {
      pushString(out, code, v);
    }
  }
}

/** The `system|code` of the first coding with a code, of a CodeableConcept or a Coding. */
function firstCode(node: JsonObject): string | undefined {
  const codings = Array.isArray(node['coding']) ? (node['coding'] as Json[]) : [node];
  for (const coding of codings) {
    const value = isObject(coding) ? (coding['code'] ?? coding['value']) : undefined;
    if (typeof value === 'string' && value !== '') {
      const system = (coding as JsonObject)['system'];
      return `${typeof system === 'string' ? system : ''}|${value}`;
    }
  }
  return undefined;
}

/**
 * Entries of a token node: CodeableConcept, Coding, Identifier (with its type as `system|code`), ContactPoint,
 * code or boolean.
 */
function tokens(out: IndexEntry[], code: string, node: Json): void {
  if (typeof node === 'boolean') {
    out.push({ kind: 'token', code, system: '', value: String(node) });
    return;
  }
  if (typeof node === 'string') {
    if (node !== '') {
      out.push({ kind: 'token', code, system: '', value: node });
    }
    return;
  }
  if (!isObject(node)) {
    return;
  }
  if (Array.isArray(node['coding'])) {
    for (const coding of node['coding'] as Json[]) {
      tokens(out, code, coding);
    }
    return;
  }
  const system = typeof node['system'] === 'string' ? node['system'] : '';
  const value = node['code'] ?? node['value'];
  if (typeof value !== 'string' || value === '') {
    return;
  }
  const type = isObject(node['type']) ? firstCode(node['type']) : undefined;
  out.push(
    type === undefined
      ? { kind: 'token', code, system, value }
      : { kind: 'token', code, system, value, type },
  );
}

const REFERENCE = /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/;

function entries(out: IndexEntry[], param: SearchParameter, reached: Json): void {
  const code = param.code;
  const node = param.value ? param.value(reached) : reached;
  if (node === undefined) {
    return;
  }
  switch (param.type) {
    case 'string':
      strings(out, code, node);
      return;
    case 'token':
      tokens(out, code, node);
      return;
    case 'reference': {
      const ref = isObject(node) ? node['reference'] : undefined;
      if (typeof ref === 'string' && REFERENCE.test(ref)) {
        out.push({ kind: 'reference', code, target: ref });
      }
      return;
    }
    case 'date':
      if (typeof node === 'string') {
        out.push({ kind: 'date', code, low: node, high: node });
      }
      return;
    case 'special': {
      const position = positionOf(node);
      if (position) {
        const cell = geohash(position.latitude, position.longitude);
        out.push({ kind: 'string', code, norm: cell, exact: cell });
      }
      return;
    }
  }
}

/**
 * A position: Location.position, or the geolocation extension of an Address
 * (http://hl7.org/fhir/StructureDefinition/geolocation, latitude and longitude as valueDecimal).
 */
export function positionOf(node: Json): { latitude: number; longitude: number } | undefined {
  if (!isObject(node)) {
    return undefined;
  }
  let latitude = node['latitude'];
  let longitude = node['longitude'];
  if (Array.isArray(node['extension'])) {
    for (const e of node['extension'] as Json[]) {
      if (isObject(e) && e['url'] === 'latitude') {
        latitude = e['valueDecimal'];
      } else if (isObject(e) && e['url'] === 'longitude') {
        longitude = e['valueDecimal'];
      }
    }
  }
  const ok =
    typeof latitude === 'number' &&
    typeof longitude === 'number' &&
    Math.abs(latitude) <= 90 &&
    Math.abs(longitude) <= 180;
  return ok ? { latitude: latitude as number, longitude: longitude as number } : undefined;
}

interface CompiledParameter {
  readonly param: SearchParameter;
  readonly paths: readonly Step[][];
}

export function createIndexer(parameters: readonly SearchParameter[]): Indexer {
  const byResource = new Map<string, CompiledParameter[]>();
  for (const param of parameters.filter((p) => p.column === undefined)) {
    const compiled = { param, paths: param.paths.map(compilePath) };
    byResource.set(param.resource, [...(byResource.get(param.resource) ?? []), compiled]);
  }
  return {
    version: INDEXER_VERSION,
    index(resource: Resource): IndexEntry[] {
      const out: IndexEntry[] = [];
      for (const { param, paths } of byResource.get(resource.resourceType) ?? []) {
        const found = (node: Json): void => entries(out, param, node);
        for (const path of paths) {
          visit(resource, path, 0, found);
        }
      }
      return out;
    },
  };
}
