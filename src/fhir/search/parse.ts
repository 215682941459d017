/**
 * Parses the parameters of a FHIR search into clauses and result parameters. Never throws on user input: the
 * planner checks clauses against the parameter table (plan.ts).
 * https://hl7.org/fhir/R4/search.html
 */

/** One search parameter as given: `key` is everything before `=` (code, modifier, chain, `_has:`…). */
export interface Clause {
  readonly key: string;
  /** The values of a comma-separated list (`\,` is a literal comma): any of them may match. */
  readonly values: readonly string[];
  /** The value as given, for the self link. */
  readonly raw: string;
}

export type TotalMode = 'none' | 'estimate' | 'accurate';
export type SummaryMode = 'true' | 'false' | 'count' | 'data' | 'text';

export interface ResultParameters {
  readonly count?: string;
  readonly sort?: string;
  readonly total?: string;
  readonly summary?: string;
  readonly elements?: string;
  readonly include: readonly string[];
  readonly revinclude: readonly string[];
  /** The page token of a `next`, `previous`, `first` or `last` link. */
  readonly page?: string;
  readonly since?: string;
}

export interface ParsedSearch {
  readonly clauses: readonly Clause[];
  readonly result: ResultParameters;
}

/** Parameters that shape the response, not the matches; `_format` and `_pretty` belong to the HTTP layer. */
const IGNORED = new Set(['_format', '_pretty']);

export function parseSearch(pairs: Iterable<readonly [string, string]>): ParsedSearch {
  const clauses: Clause[] = [];
  const include: string[] = [];
  const revinclude: string[] = [];
  const single: Record<string, string> = {};
  for (const [key, value] of pairs) {
    if (IGNORED.has(key)) {
      continue;
    }
    switch (key) {
      case '_include':
      case '_include:iterate':
        include.push(key.endsWith(':iterate') ? `${value}:iterate` : value);
        continue;
      case '_revinclude':
      case '_revinclude:iterate':
        revinclude.push(key.endsWith(':iterate') ? `${value}:iterate` : value);
        continue;
      case '_count':
      case '_sort':
      case '_total':
      case '_summary':
      case '_elements':
      case '_page':
      case '_since':
        single[key.slice(1)] = value;
        continue;
    }
    clauses.push({ key, values: splitValues(value), raw: value });
  }
  return {
    clauses,
    result: {
      include,
      revinclude,
      ...(single['count'] !== undefined ? { count: single['count'] } : {}),
      ...(single['sort'] !== undefined ? { sort: single['sort'] } : {}),
      ...(single['total'] !== undefined ? { total: single['total'] } : {}),
      ...(single['summary'] !== undefined ? { summary: single['summary'] } : {}),
      ...(single['elements'] !== undefined ? { elements: single['elements'] } : {}),
      ...(single['page'] !== undefined ? { page: single['page'] } : {}),
      ...(single['since'] !== undefined ? { since: single['since'] } : {}),
    },
  };
}

/** Splits on commas not escaped by a backslash, and unescapes `\,`, `\|`, `\$` and `\\`. */
export function splitValues(value: string): string[] {
  const out: string[] = [];
  let current = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '\\' && i + 1 < value.length) {
      current += value[i + 1];
      i += 1;
    } else if (c === ',') {
      out.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  out.push(current);
  return out;
}
