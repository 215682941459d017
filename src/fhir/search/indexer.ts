/**
 * Derives a resource's index entries from the search-parameter table. Pure and deterministic: the store
 * re-runs it on old versions to close the rows they opened (store/store.ts Indexer).
 */
import type { Indexer, IndexEntry, Resource } from '../../store/store.js';
import { fold } from './fold.js';
import type { SearchParameter } from './search-parameters.js';

/** Bump when the entries produced for a given resource change (the store then asks for a reindex). */
export const INDEXER_VERSION = '1';

type Json = unknown;
type JsonObject = { readonly [key: string]: Json };

const isObject = (v: Json): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Evaluates a dotted path; arrays are flattened at every step, as in FHIRPath. */
export function select(root: Json, path: string): Json[] {
  let nodes: Json[] = [root];
  for (const segment of path.split(/\.(?![^(]*\))/)) {
    const ext = /^extension\((.+)\)$/.exec(segment);
    const next: Json[] = [];
    for (const node of nodes) {
      if (!isObject(node)) {
        continue;
      }
      const value = node[ext ? 'extension' : segment];
      const items = Array.isArray(value) ? (value as Json[]) : value === undefined ? [] : [value];
      for (const item of items) {
        if (!ext || (isObject(item) && typeof item['url'] === 'string' && item['url'] === ext[1])) {
          next.push(item);
        }
      }
    }
    nodes = next;
  }
  return nodes;
}

/** Text parts of a string-typed node: a string, or the parts of a HumanName or Address. */
function strings(node: Json): string[] {
  if (typeof node === 'string') {
    return node === '' ? [] : [node];
  }
  if (!isObject(node)) {
    return [];
  }
  const parts: string[] = [];
  for (const key of [
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
  ]) {
    const v = node[key];
    for (const s of Array.isArray(v) ? (v as Json[]) : [v]) {
      if (typeof s === 'string' && s !== '') {
        parts.push(s);
      }
    }
  }
  return parts;
}

/** (system, value) pairs of a token node: CodeableConcept, Coding, Identifier, ContactPoint, code or boolean. */
function tokens(node: Json): [string, string][] {
  if (typeof node === 'boolean') {
    return [['', String(node)]];
  }
  if (typeof node === 'string') {
    return node === '' ? [] : [['', node]];
  }
  if (!isObject(node)) {
    return [];
  }
  if (Array.isArray(node['coding'])) {
    return (node['coding'] as Json[]).flatMap(tokens);
  }
  const system = typeof node['system'] === 'string' ? node['system'] : '';
  const value = node['code'] ?? node['value'];
  return typeof value === 'string' && value !== '' ? [[system, value]] : [];
}

function entries(param: SearchParameter, node: Json): IndexEntry[] {
  const code = param.code;
  switch (param.type) {
    case 'string':
      return strings(node).map((s) => ({ kind: 'string', code, norm: fold(s), exact: s }));
    case 'token':
      return tokens(node).map(([system, value]) => ({ kind: 'token', code, system, value }));
    case 'reference': {
      const ref = isObject(node) ? node['reference'] : undefined;
      return typeof ref === 'string' && /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/.test(ref)
        ? [{ kind: 'reference', code, target: ref }]
        : [];
    }
    case 'date':
      return typeof node === 'string' ? [{ kind: 'date', code, low: node, high: node }] : [];
  }
}

export function createIndexer(parameters: readonly SearchParameter[]): Indexer {
  const byResource = new Map<string, SearchParameter[]>();
  for (const param of parameters) {
    byResource.set(param.resource, [...(byResource.get(param.resource) ?? []), param]);
  }
  return {
    version: INDEXER_VERSION,
    index(resource: Resource): IndexEntry[] {
      const out: IndexEntry[] = [];
      for (const param of byResource.get(resource.resourceType) ?? []) {
        for (const path of param.paths) {
          for (const node of select(resource, path)) {
            out.push(...entries(param, node));
          }
        }
      }
      return out;
    },
  };
}
