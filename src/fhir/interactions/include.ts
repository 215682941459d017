/**
 * `_include` and `_revinclude`: the resources a page refers to, and those that refer to it, as of the page's
 * release. `:iterate` follows includes from included resources (e.g. Organization:partof up a hierarchy).
 * https://hl7.org/fhir/R4/search.html#include
 *
 * What a page includes is bounded, as FHIR lets a server do, and the Bundle says so when it is cut (notes
 * become an OperationOutcome entry, search.mode = outcome): a client is never left to guess that a list is
 * complete. https://hl7.org/fhir/R4/search.html#revinclude
 */
import { invalid } from '../../error.js';
import type { IndexMatch, SearchQuery, StoredVersion } from '../../store/store.js';
import type { FhirContext } from '../context.js';
import { compilePath, select } from '../search/indexer.js';
import { RESOURCE_TYPES, type SearchParameter } from '../search/search-parameters.js';

/** At most this many resources are added to a page by each round of _include. */
const MAX_INCLUDED = 5000;
/**
 * At most this many resources are added to a page by _revinclude. Some structures have thousands of roles: at
 * national scale a page of 50 Marseille organizations drew 5,000 roles (9 MB, cut there without a word). Ten
 * times the default page keeps a page under about a megabyte; a client that wants more asks for fewer matches
 * per page (`_count`), or searches the referring resources themselves, which the outcome spells out.
 */
export const MAX_REVINCLUDED = 500;

/** Resources to add to a page, and what the Bundle must say about those left out. */
export interface Included {
  readonly versions: StoredVersion[];
  readonly notes: string[];
}
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
): Promise<Included> {
  if (specs.length === 0) {
    return { versions: [], notes: [] };
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
  const notes: string[] = [];
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
    if (wanted.size > MAX_INCLUDED) {
      notes.push(
        `_include: ${wanted.size} resources are referred to, at most ${MAX_INCLUDED} are included ` +
          `(${round === 0 ? 'from the page' : `round ${round + 1} of :iterate`}); ask for fewer matches per page (_count)`,
      );
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
  return { versions: out, notes };
}

/**
 * The resources that refer to the page's matches, at most MAX_REVINCLUDED. When more refer to them, each match
 * comes with all the resources that refer to it or with none (in page order, while they fit), and a note names
 * the matches left without them and the search that lists those: never a silently partial list.
 */
export async function revincludes(
  ctx: FhirContext,
  type: string,
  matches: readonly StoredVersion[],
  specs: readonly string[],
  asOf: number,
): Promise<Included> {
  const out: StoredVersion[] = [];
  const notes: string[] = [];
  if (specs.length === 0 || matches.length === 0) {
    return { versions: out, notes };
  }
  const seen = new Set(matches.map((v) => `${v.resourceType}/${v.id}`));
  const add = (versions: readonly StoredVersion[]): void => {
    for (const v of versions) {
      const key = `${v.resourceType}/${v.id}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push(v);
      }
    }
  };
  for (const text of specs) {
    const spec = parseSpec(ctx, text, '_revinclude');
    const referringTo = (targets: readonly string[], limit: number): SearchQuery => ({
      resourceType: spec.source,
      where: [
        {
          kind: 'match',
          any: spec.params.flatMap((p) =>
            targets.map((target): IndexMatch => ({ kind: 'reference', code: p.code, target })),
          ),
        },
      ],
      asOf,
      limit,
    });
    /**
     * Adds all that refer to `targets` when they fit in what is left of the page; false, adding nothing, when
     * they do not. Counted first, from the index alone: reading versions only to drop them was most of the time
     * of a page that does not fit (bench: api, _revinclude of 50 Marseille organizations). The search asks for
     * one more than counted, so a count that fell short (it never should) cannot cut a list short.
     */
    const addIfAllFit = async (targets: readonly string[]): Promise<boolean> => {
      const n = await ctx.store.count(referringTo(targets, 0));
      if (n > MAX_REVINCLUDED - out.length) {
        return false;
      }
      if (n > 0) {
        const found = await ctx.store.search(referringTo(targets, n + 1));
        if (found.versions.length > n) {
          return false;
        }
        add(found.versions);
      }
      return true;
    };
    const targets = matches.map((v) => `${type}/${v.id}`);
    // Most pages: everything that refers to the page fits, in one query.
    if (await addIfAllFit(targets)) {
      continue;
    }
    const left: string[] = [];
    for (const target of targets) {
      if (!(await addIfAllFit([target]))) {
        left.push(target);
      }
    }
    const search =
      spec.params.length === 1
        ? `; search ${spec.source}?${spec.params[0]!.code}=${left.join(',')} for them`
        : '';
    notes.push(
      `_revinclude=${text}: at most ${MAX_REVINCLUDED} resources are included in a page, each match with all ` +
        `that refer to it or none; not included: those that refer to ${left.join(', ')}${search}, ` +
        'or ask for fewer matches per page (_count)',
    );
  }
  return { versions: out, notes };
}
