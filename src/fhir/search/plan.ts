/**
 * Turns parsed clauses into store conditions, checked against the parameter table: modifiers, value syntax,
 * chains (`organization.address-city=`), reverse chains (`_has:PractitionerRole:practitioner:…`) and the
 * hierarchy modifiers of `partof` (`:above`, `:below`). A chain is resolved to the ids it reaches as of the
 * search's release, then matched as references: the same snapshot on every page.
 * https://hl7.org/fhir/R4/search.html
 */
import { AnnuaireError, invalid } from '../../error.js';
import type { IndexMatch, SearchCondition, Store } from '../../store/store.js';
import { prefixedRanges } from './date.js';
import { fold } from './fold.js';
import { coveringCells, distanceKm } from './geohash.js';
import { compilePath, positionOf, select } from './indexer.js';
import type { ParameterTable } from './parameter-table.js';
import type { Clause } from './parse.js';
import type { SearchParameter } from './search-parameters.js';

/** A chain or `_has` that reaches more resources than this is refused: the user should narrow it. */
export const MAX_CHAIN = 10_000;
/** How deep `partof:above|below` follows the hierarchy (legal entity → establishment → site is three). */
const MAX_DEPTH = 10;

export interface PlanContext {
  readonly store: Store;
  readonly params: ParameterTable;
  readonly asOf: number;
  /** `Prefer: handling=strict`: an unknown parameter is an error rather than ignored. */
  readonly strict: boolean;
}

export interface Plan {
  readonly conditions: SearchCondition[];
  /** The clauses that were applied (echoed in the self link). */
  readonly used: Clause[];
  /** Parameters ignored, with why (lenient mode). */
  readonly ignored: string[];
}

export async function planSearch(type: string, clauses: readonly Clause[], ctx: PlanContext): Promise<Plan> {
  const conditions: SearchCondition[] = [];
  const used: Clause[] = [];
  const ignored: string[] = [];
  for (const clause of clauses) {
    const planned = await planClause(type, clause.key, clause.values, ctx);
    if (typeof planned === 'string') {
      if (ctx.strict) {
        throw invalid(planned, clause.key);
      }
      ignored.push(planned);
      continue;
    }
    conditions.push(planned);
    used.push(clause);
  }
  return { conditions, used, ignored };
}

/** The condition of one clause, or a string saying why it is unknown (ignored in lenient mode). */
async function planClause(
  type: string,
  key: string,
  values: readonly string[],
  ctx: PlanContext,
): Promise<SearchCondition | string> {
  if (key.startsWith('_has:')) {
    return planHas(type, key, values, ctx);
  }
  const dot = key.indexOf('.');
  if (dot > 0) {
    return planChain(type, key.slice(0, dot), key.slice(dot + 1), values, ctx);
  }
  const [code = '', modifier] = key.split(':', 2) as [string, string | undefined];
  switch (code) {
    case '_id':
      return planId(values, modifier, key);
    case '_lastUpdated':
      return planLastUpdated(values, modifier, key);
  }
  const param = ctx.params.get(type, code);
  if (!param) {
    return `unknown search parameter "${code}" for ${type}`;
  }
  if (modifier === 'missing') {
    return planMissing(param, values, key);
  }
  if (param.column === 'active') {
    return planActive(values, modifier, key);
  }
  switch (param.type) {
    case 'string':
      return planString(type, param, values, modifier, key, ctx);
    case 'token':
      return planToken(param, values, modifier, key);
    case 'reference':
      return planReference(type, param, values, modifier, key, ctx);
    case 'date':
      throw new AnnuaireError(
        400,
        'not-supported',
        `${key}: date parameters other than _lastUpdated are not served`,
        key,
      );
    case 'special':
      if (modifier !== undefined) {
        throw unknownModifier(key, modifier, ['missing']);
      }
      return planNear(type, param, values, key, ctx);
  }
}

function planId(values: readonly string[], modifier: string | undefined, key: string): SearchCondition {
  if (modifier !== undefined && modifier !== 'not') {
    throw unknownModifier(key, modifier, ['not']);
  }
  return { kind: 'id', ids: values.filter((v) => v !== ''), not: modifier === 'not' };
}

function planLastUpdated(
  values: readonly string[],
  modifier: string | undefined,
  key: string,
): SearchCondition {
  if (modifier !== undefined) {
    throw unknownModifier(key, modifier, []);
  }
  const parts = values.map((v) => prefixedRanges(v, key));
  if (parts.some((p) => p.not) && parts.length > 1) {
    throw invalid(
      `${key}: "ne" cannot be combined with other values in one parameter; repeat the parameter`,
      key,
    );
  }
  return { kind: 'lastUpdated', ranges: parts.flatMap((p) => p.ranges), not: parts[0]?.not ?? false };
}

function planActive(values: readonly string[], modifier: string | undefined, key: string): SearchCondition {
  if (modifier !== undefined && modifier !== 'not') {
    throw unknownModifier(key, modifier, ['not', 'missing']);
  }
  const wanted = new Set(
    values.map((v) => {
      if (v !== 'true' && v !== 'false') {
        throw invalid(`${key}: "${v}" is not true or false`, key);
      }
      return (v === 'true') !== (modifier === 'not');
    }),
  );
  // active=true,false matches everything: a condition that always holds.
  return wanted.size === 2 ? { kind: 'id', ids: [], not: true } : { kind: 'active', value: [...wanted][0]! };
}

function planMissing(param: SearchParameter, values: readonly string[], key: string): SearchCondition {
  if (values.length !== 1 || (values[0] !== 'true' && values[0] !== 'false')) {
    throw invalid(`${key}: the value of :missing is true or false`, key);
  }
  if (param.column === 'active') {
    // Every resource of the directory says whether it is active.
    return { kind: 'id', ids: [], not: values[0] === 'false' };
  }
  const index = param.type === 'special' ? 'string' : param.type;
  return { kind: 'present', code: param.code, index, present: values[0] === 'false' };
}

function planString(
  type: string,
  param: SearchParameter,
  values: readonly string[],
  modifier: string | undefined,
  key: string,
  ctx: PlanContext,
): SearchCondition {
  if (modifier !== undefined && modifier !== 'exact' && modifier !== 'contains') {
    throw unknownModifier(key, modifier, ['exact', 'contains', 'missing']);
  }
  // `name` also matches the values `family` and `given` index (they are not indexed twice).
  const codes = [param.code, ...(param.alsoMatches ?? [])].filter((c) => ctx.params.get(type, c));
  const any: IndexMatch[] = [];
  for (const value of values) {
    const norm = fold(value);
    if (modifier === 'contains' && norm.length < 2) {
      throw invalid(`${key}: give at least 2 characters to :contains`, key);
    }
    for (const code of codes) {
      any.push(
        modifier === 'exact'
          ? { kind: 'string', code, mode: 'equals', norm, exact: value }
          : { kind: 'string', code, mode: modifier === 'contains' ? 'contains' : 'prefix', norm },
      );
    }
  }
  return { kind: 'match', any };
}

function planToken(
  param: SearchParameter,
  values: readonly string[],
  modifier: string | undefined,
  key: string,
): SearchCondition {
  if (modifier !== undefined && modifier !== 'not' && modifier !== 'of-type') {
    throw unknownModifier(key, modifier, ['not', 'of-type', 'missing']);
  }
  const any = values.map((value): IndexMatch => {
    if (modifier === 'of-type') {
      // identifier:of-type=system|code|value https://hl7.org/fhir/R4/search.html#token
      const parts = value.split('|');
      if (parts.length !== 3 || parts.some((p) => p === '')) {
        throw invalid(`${key}: :of-type takes "system|code|value", got "${value}"`, key);
      }
      return { kind: 'token', code: param.code, type: `${parts[0]}|${parts[1]}`, value: parts[2]! };
    }
    const bar = value.indexOf('|');
    if (bar < 0) {
      if (value === '') {
        throw invalid(`${key}: a code is missing`, key);
      }
      return { kind: 'token', code: param.code, value };
    }
    const system = value.slice(0, bar);
    const code = value.slice(bar + 1);
    if (system === '' && code === '') {
      throw invalid(`${key}: "|" alone is neither a system nor a code`, key);
    }
    return { kind: 'token', code: param.code, system, value: code };
  });
  return { kind: 'match', any, not: modifier === 'not' };
}

async function planReference(
  type: string,
  param: SearchParameter,
  values: readonly string[],
  modifier: string | undefined,
  key: string,
  ctx: PlanContext,
): Promise<SearchCondition> {
  if (modifier === 'above' || modifier === 'below') {
    if (!(param.targets ?? []).includes(type)) {
      throw invalid(
        `${key}: :${modifier} applies to a reference within one type, such as Organization's partof`,
        key,
      );
    }
    const ids = new Set<string>();
    for (const v of values) {
      const target = referenceTarget(param, v, undefined, key);
      const start = target.slice(target.indexOf('/') + 1);
      for (const id of modifier === 'below'
        ? await below(type, param, start, ctx)
        : await above(type, param, start, ctx)) {
        ids.add(id);
      }
    }
    return { kind: 'id', ids: [...ids] };
  }
  if (modifier !== undefined && !(param.targets ?? []).includes(modifier)) {
    throw unknownModifier(key, modifier, ['missing', ...(param.targets ?? []), 'above', 'below']);
  }
  return {
    kind: 'match',
    any: values.map((v) => ({
      kind: 'reference',
      code: param.code,
      target: referenceTarget(param, v, modifier, key),
    })),
  };
}

/** `Type/id`, from `Type/id`, an absolute URL ending so, or a bare id when the type is known. */
function referenceTarget(
  param: SearchParameter,
  value: string,
  typed: string | undefined,
  key: string,
): string {
  const m = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(value);
  if (m) {
    return `${m[1]}/${m[2]}`;
  }
  const targets = typed ? [typed] : (param.targets ?? []);
  if (/^[A-Za-z0-9\-.]{1,64}$/.test(value) && targets.length === 1) {
    return `${targets[0]}/${value}`;
  }
  throw invalid(`${key}: "${value}" is not a reference (Type/id, or an id with ${key}:Type)`, key);
}

/** `organization.address-city=…`: the ids of the targets that match the rest of the chain, as references. */
async function planChain(
  type: string,
  head: string,
  rest: string,
  values: readonly string[],
  ctx: PlanContext,
): Promise<SearchCondition | string> {
  const [code = '', typed] = head.split(':', 2) as [string, string | undefined];
  const param = ctx.params.get(type, code);
  if (!param) {
    return `unknown search parameter "${code}" for ${type}`;
  }
  if (param.type !== 'reference') {
    throw invalid(
      `${head}.${rest}: only a reference parameter can be chained, and ${code} is a ${param.type}`,
      head,
    );
  }
  const targets = typed ? [typed] : (param.targets ?? []);
  if (targets.length !== 1) {
    throw invalid(`${head}.${rest}: say which type the chain goes through (${code}:Type.${rest})`, head);
  }
  const target = targets[0]!;
  const inner = await planClause(target, rest, values, ctx);
  if (typeof inner === 'string') {
    throw invalid(`${head}.${rest}: ${inner}`, head);
  }
  // A join in the store, as of the same release: no list of ids in between, however many targets match.
  return { kind: 'refersTo', code, targetType: target, where: [inner] };
}

/**
 * `_has:PractitionerRole:practitioner:organization.address-postalcode=75`: the resources that the matching
 * PractitionerRoles point to through `practitioner`.
 */
async function planHas(
  type: string,
  key: string,
  values: readonly string[],
  ctx: PlanContext,
): Promise<SearchCondition> {
  const [, source = '', refCode = '', ...restParts] = key.split(':');
  const rest = restParts.join(':');
  const ref = ctx.params.get(source, refCode);
  if (!ref || ref.type !== 'reference' || rest === '') {
    throw invalid(
      `${key}: _has takes _has:Type:reference:parameter, with a reference parameter of Type`,
      key,
    );
  }
  const inner = await planClause(source, rest, values, ctx);
  if (typeof inner === 'string') {
    throw invalid(`${key}: ${inner}`, key);
  }
  return { kind: 'referencedBy', sourceType: source, code: refCode, where: [inner] };
}

async function matchingIds(
  type: string,
  where: SearchCondition[],
  ctx: PlanContext,
  key: string,
): Promise<string[]> {
  const ids = await ctx.store.ids({ resourceType: type, where, asOf: ctx.asOf, limit: MAX_CHAIN + 1 });
  if (ids.length > MAX_CHAIN) {
    throw tooBroad(key);
  }
  return ids;
}

/** Every resource under `id` through the reference (its children, their children…). */
async function below(type: string, param: SearchParameter, id: string, ctx: PlanContext): Promise<string[]> {
  const found = new Set<string>();
  let frontier = [id];
  for (let depth = 0; depth < MAX_DEPTH && frontier.length > 0; depth++) {
    const any = frontier.map((f): IndexMatch => ({
      kind: 'reference',
      code: param.code,
      target: `${type}/${f}`,
    }));
    const children = await matchingIds(type, [{ kind: 'match', any }], ctx, `${param.code}:below`);
    frontier = children.filter((c) => !found.has(c));
    frontier.forEach((c) => found.add(c));
    if (found.size > MAX_CHAIN) {
      throw tooBroad(`${param.code}:below`);
    }
  }
  return [...found];
}

/** Every resource above `id` through the reference (its parent, the parent's parent…). */
async function above(type: string, param: SearchParameter, id: string, ctx: PlanContext): Promise<string[]> {
  const found: string[] = [];
  const paths = param.paths.map(compilePath);
  let current: string | undefined = id;
  for (let depth = 0; depth < MAX_DEPTH && current !== undefined; depth++) {
    const v = await ctx.store.read(type, current, { asOf: ctx.asOf });
    current = undefined;
    if (!v || v.deleted) {
      break;
    }
    const resource = JSON.parse(v.json) as unknown;
    for (const path of paths) {
      for (const node of select(resource, path)) {
        const reference = (node as { reference?: unknown }).reference;
        if (typeof reference === 'string' && reference.startsWith(`${type}/`)) {
          const parent = reference.slice(type.length + 1);
          if (!found.includes(parent) && parent !== id) {
            found.push(parent);
            current = parent;
          }
        }
      }
    }
  }
  return found;
}

/** Kilometres per unit of the distance of `near` (UCUM codes). */
const UNITS: Readonly<Record<string, number>> = { km: 1, m: 0.001, '[mi_i]': 1.609344, mi: 1.609344 };
/** The distance of a `near` that gives none. */
const DEFAULT_NEAR_KM = 5;

/**
 * `near=latitude|longitude|distance|unit`: the resources whose position is within the distance. The geohash
 * cells around the centre give the candidates from the index; their positions are then checked exactly.
 * https://hl7.org/fhir/R4/location.html#positional
 */
async function planNear(
  type: string,
  param: SearchParameter,
  values: readonly string[],
  key: string,
  ctx: PlanContext,
): Promise<SearchCondition> {
  const circles = values.map((v) => {
    const [lat, lon, distance, unit = 'km'] = v.split('|');
    const latitude = Number(lat);
    const longitude = Number(lon);
    const km =
      distance === undefined || distance === '' ? DEFAULT_NEAR_KM : Number(distance) * (UNITS[unit] ?? NaN);
    const ok = lat !== '' && lon !== '' && Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180 && km > 0;
    if (!ok) {
      throw invalid(
        `${key}: "${v}" is not latitude|longitude|distance|unit (units: ${Object.keys(UNITS).join(', ')})`,
        key,
      );
    }
    return { latitude, longitude, km };
  });
  const any: IndexMatch[] = circles.flatMap((c) =>
    coveringCells(c.latitude, c.longitude, c.km).map((cell): IndexMatch => ({
      kind: 'string',
      code: param.code,
      mode: 'prefix',
      norm: cell,
    })),
  );
  const page = await ctx.store.search({
    resourceType: type,
    where: [{ kind: 'match', any }],
    asOf: ctx.asOf,
    limit: MAX_CHAIN + 1,
  });
  if (page.versions.length > MAX_CHAIN) {
    throw tooBroad(key);
  }
  const paths = param.paths.map(compilePath);
  const ids = page.versions
    .filter((v) => {
      const resource = JSON.parse(v.json) as unknown;
      return paths.some((path) =>
        select(resource, path).some((node) => {
          const p = positionOf(node);
          return (
            p !== undefined &&
            circles.some((c) => distanceKm(c.latitude, c.longitude, p.latitude, p.longitude) <= c.km)
          );
        }),
      );
    })
    .map((v) => v.id);
  return { kind: 'id', ids };
}

function unknownModifier(key: string, modifier: string, known: readonly string[]): AnnuaireError {
  return invalid(
    `${key}: unknown modifier ":${modifier}"${known.length > 0 ? ` (this parameter takes ${known.map((k) => `:${k}`).join(', ')})` : ''}`,
    key,
  );
}

function tooBroad(key: string): AnnuaireError {
  return new AnnuaireError(
    400,
    'too-costly',
    `${key} reaches more than ${MAX_CHAIN} resources: narrow it`,
    key,
  );
}
