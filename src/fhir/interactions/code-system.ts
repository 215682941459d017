/**
 * The NOS tables as CodeSystem resources: read, and search by url, name, title, identifier or _id.
 * https://hl7.org/fhir/R4/codesystem.html#search
 */
import { invalid, notFound } from '../../error.js';
import type { CodeSystemResource } from '../../nomenclature/code-system.js';
import { bundleText } from '../bundle.js';
import type { FhirContext, RequestOptions } from '../context.js';
import { parseSubset, subsetJson } from '../elements.js';
import { fold } from '../search/fold.js';
import { splitValues } from '../search/parse.js';
import { link } from './search-type.js';

export function readCodeSystem(ctx: FhirContext, id: string): string {
  const cs = ctx.codeSystems.get(id);
  if (!cs) {
    throw notFound(`CodeSystem/${id} is not known (the NOS tables are served as CodeSystem/TRE-…)`);
  }
  return JSON.stringify(cs);
}

const MATCHERS: Readonly<Record<string, (cs: CodeSystemResource, value: string) => boolean>> = {
  _id: (cs, v) => cs.id === v,
  url: (cs, v) => cs.url === v,
  name: (cs, v) => fold(cs.name).startsWith(fold(v)),
  title: (cs, v) => fold(cs.title).startsWith(fold(v)),
  identifier: (cs, v) => (cs.identifier ?? []).some((i) => i.value === v || `${i.system}|${i.value}` === v),
  status: (cs, v) => cs.status === v,
  code: (cs, v) => cs.concept.some((c) => c.code === v),
};

export function searchCodeSystems(
  ctx: FhirContext,
  pairs: readonly (readonly [string, string])[],
  options: RequestOptions,
): string {
  let matches = [...ctx.codeSystems.values()];
  const applied: [string, string][] = [];
  let summary: string | undefined;
  let elements: string | undefined;
  for (const [key, value] of pairs) {
    if (key === '_format' || key === '_pretty' || key === '_count' || key === '_total') {
      continue;
    }
    if (key === '_summary' || key === '_elements') {
      summary = key === '_summary' ? value : summary;
      elements = key === '_elements' ? value : elements;
      applied.push([key, value]);
      continue;
    }
    const match = MATCHERS[key];
    if (!match) {
      if (options.strict) {
        throw invalid(`unknown search parameter "${key}" for CodeSystem`, key);
      }
      continue;
    }
    const values = splitValues(value);
    matches = matches.filter((cs) => values.some((v) => match(cs, v)));
    applied.push([key, value]);
  }
  const self = [{ relation: 'self' as const, url: link(options.base, 'CodeSystem', applied) }];
  if (summary === 'count') {
    return bundleText('searchset', [], self, matches.length);
  }
  const subset = parseSubset(summary, elements);
  const entries = matches.map((cs) => {
    const json = JSON.stringify(cs);
    return {
      fullUrl: `${options.base}/CodeSystem/${cs.id}`,
      json: subset ? subsetJson(json, subset) : json,
      search: { mode: 'match' as const },
    };
  });
  return bundleText('searchset', entries, self, matches.length);
}
