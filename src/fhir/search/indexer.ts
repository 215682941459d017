/**
 * Derives a resource's index entries from the search-parameter table. Pure and deterministic: the store
 * re-runs it on old versions to close the rows they opened (store/store.ts Indexer).
 */
import type { Indexer, IndexEntry, Resource } from '../../store/store.js';
import { fold } from './fold.js';
import type { SearchParameter } from './search-parameters.js';

/** Bump when the entries produced for a given resource change (the store then asks for a reindex). */
export const INDEXER_VERSION = '3';

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
  let nodes: Json[] = [root];
  for (const step of steps) {
    const next: Json[] = [];
    for (const node of nodes) {
      if (!isObject(node)) {
        continue;
      }
      const value = node[step.field];
      if (value === undefined) {
        continue;
      }
      for (const item of Array.isArray(value) ? (value as Json[]) : [value]) {
        if (step.url === undefined || (isObject(item) && item['url'] === step.url)) {
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

/**
 * (system, value, type) of a token node: CodeableConcept, Coding, Identifier (with its type as `system|code`),
 * ContactPoint, code or boolean.
 */
function tokens(node: Json): [string, string, string?][] {
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
  if (typeof value !== 'string' || value === '') {
    return [];
  }
  const [type] = isObject(node['type']) ? tokens(node['type']) : [];
  return [type ? [system, value, `${type[0]}|${type[1]}`] : [system, value]];
}

function entries(param: SearchParameter, node: Json): IndexEntry[] {
  const code = param.code;
  switch (param.type) {
    case 'string':
      return strings(node).map((s) => ({ kind: 'string', code, norm: fold(s), exact: s }));
    case 'token':
      return tokens(node).map(([system, value, type]) =>
        type === undefined
          ? { kind: 'token', code, system, value }
          : { kind: 'token', code, system, value, type },
      );
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
  const byResource = new Map<string, { param: SearchParameter; paths: Step[][] }[]>();
  for (const param of parameters.filter((p) => p.column === undefined)) {
    const compiled = { param, paths: param.paths.map(compilePath) };
    byResource.set(param.resource, [...(byResource.get(param.resource) ?? []), compiled]);
  }
  return {
    version: INDEXER_VERSION,
    index(resource: Resource): IndexEntry[] {
      const out: IndexEntry[] = [];
      for (const { param, paths } of byResource.get(resource.resourceType) ?? []) {
        for (const path of paths) {
          for (const node of select(resource, path)) {
            out.push(...entries(param, node));
          }
        }
      }
      return out;
    },
  };
}
