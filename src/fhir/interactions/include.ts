/**
 * `_include` and `_revinclude`: the resources a page refers to, and those that refer to it, as of the page's
 * release. `:iterate` follows includes from included resources (e.g. Organization:partof up a hierarchy).
 * https://hl7.org/fhir/R4/search.html#include
 */
import { invalid } from '../../error.js';
import type { IndexMatch, StoredVersion } from '../../store/store.js';
import type { FhirContext } from '../context.js';
import { compilePath, select } from '../search/indexer.js';
import { RESOURCE_TYPES, type SearchParameter } from '../search/search-parameters.js';

/** At most this many resources are added to a page by _revinclude, and by each round of _include. */
const MAX_INCLUDED = 5000;
/** Rounds of `:iterate`. */
const MAX_ITERATIONS = 10;

interface IncludeSpec {
  readonly source: string;
  readonly params: readonly SearchParameter[];
  readonly target?: string;
  readonly iterate: boolean;
}

function parseSpec(ctx: FhirContext, text: string, what: '_include' | '_revinclude'): IncludeSpec {
  const iterate = text.endsWith(':iterate');
  const [source = '', code = '', target] = (iterate ? text.slice(0, -8) : text).split(':');
  const params = code === '*' ? ctx.params.references(source) : [ctx.params.get(source, code)];
  if (params.length === 0 || params.some((p) => p === undefined || p.type !== 'reference')) {
    throw invalid(
      `${what}=${text}: expected Type:parameter[:Target] with a reference parameter of Type, or Type:*`,
      what,
    );
  }
  return { source, params: params as SearchParameter[], ...(target ? { target } : {}), iterate };
}

function references(v: StoredVersion, spec: IncludeSpec): string[] {
  const resource = JSON.parse(v.json) as unknown;
  const out: string[] = [];
  for (const p of spec.params) {
    for (const path of p.paths) {
      for (const node of select(resource, compilePath(path))) {
        const ref = (node as { reference?: unknown }).reference;
        if (typeof ref === 'string' && /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/.test(ref)) {
          if (spec.target === undefined || ref.startsWith(`${spec.target}/`)) {
            out.push(ref);
          }
        }
      }
    }
  }
  return out;
}

export async function includes(
  ctx: FhirContext,
  matches: readonly StoredVersion[],
  specs: readonly string[],
  asOf: number,
): Promise<StoredVersion[]> {
  if (specs.length === 0) {
    return [];
  }
  // A bare `*` (as the official API accepts): every reference of every type.
  const expanded = specs.flatMap((s) =>
    s === '*' || s === '*:iterate'
      ? RESOURCE_TYPES.filter((t) => ctx.params.references(t).length > 0).map(
          (t) => `${t}:*${s.endsWith(':iterate') ? ':iterate' : ''}`,
        )
      : [s],
  );
  const parsed = expanded.map((s) => parseSpec(ctx, s, '_include'));
  const seen = new Set(matches.map((v) => `${v.resourceType}/${v.id}`));
  const out: StoredVersion[] = [];
  let from: readonly StoredVersion[] = matches;
  for (let round = 0; round < MAX_ITERATIONS && from.length > 0; round++) {
    const wanted = new Set<string>();
    for (const v of from) {
      for (const spec of parsed) {
        if (spec.source === v.resourceType && (round === 0 || spec.iterate)) {
          references(v, spec).forEach((r) => seen.has(r) || wanted.add(r));
        }
      }
    }
    const next: StoredVersion[] = [];
    for (const ref of [...wanted].slice(0, MAX_INCLUDED)) {
      seen.add(ref);
      const [type = '', id = ''] = ref.split('/');
      const v = await ctx.store.read(type, id, { asOf });
      if (v && !v.deleted) {
        next.push(v);
      }
    }
    out.push(...next);
    from = next;
  }
  return out;
}

export async function revincludes(
  ctx: FhirContext,
  type: string,
  matches: readonly StoredVersion[],
  specs: readonly string[],
  asOf: number,
): Promise<StoredVersion[]> {
  if (specs.length === 0 || matches.length === 0) {
    return [];
  }
  const out: StoredVersion[] = [];
  const seen = new Set(matches.map((v) => `${v.resourceType}/${v.id}`));
  for (const text of specs) {
    const spec = parseSpec(ctx, text, '_revinclude');
    const targets = matches.map((v) => `${type}/${v.id}`);
    const any: IndexMatch[] = spec.params.flatMap((p) =>
      targets.map((target): IndexMatch => ({ kind: 'reference', code: p.code, target })),
    );
    let after: string | undefined;
    do {
      const page = await ctx.store.search({
        resourceType: spec.source,
        where: [{ kind: 'match', any }],
        asOf,
        limit: 1000,
        ...(after ? { after } : {}),
      });
      for (const v of page.versions) {
        const key = `${v.resourceType}/${v.id}`;
        if (!seen.has(key)) {
          seen.add(key);
          out.push(v);
        }
      }
      after = out.length < MAX_INCLUDED ? page.after : undefined;
    } while (after !== undefined);
  }
  return out;
}
