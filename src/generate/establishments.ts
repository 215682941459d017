/**
 * The FINESS establishments (ET) and legal entities (EJ) as they stand on a given day. About 100,000 at scale 1:
 * small enough to hold in memory, which lets professionals' situations point at them and copy their addresses.
 * Day-to-day changes (openings, closures, small edits) are drawn per (establishment, event) from the seed, so
 * the universe of day D is rebuilt identically without any stored history.
 */
import proj4 from 'proj4';
import type { Nomenclatures } from '../nomenclature/nomenclatures.js';
import { drawAddress, drawPhone, type Address } from './addresses.js';
import { isoDate } from './calendar.js';
import {
  LONG_TAIL_COUNT,
  longTailCategory,
  MAIN_CATEGORIES,
  type CategorySpec,
} from './establishment-categories.js';
import { establishmentName } from './establishment-names.js';
import type { Departement, Geography } from './geography.js';
import { finessOf, siretOf, sirenOf } from './identifiers.js';
import { surname } from './names.js';
import { hash4, Purpose, Rng, rngFor, unit, WeightedTable } from './prng.js';
import { crsOfDepartement, type ProjectedCrs } from '../sources/finess/crs.js';
import { postalCityName } from './text.js';

export interface LegalEntity {
  readonly finess: string;
  readonly siren: string;
  /** TRE_R72. */
  readonly status: string;
  readonly departement: Departement;
  readonly city: string;
}

export interface Establishment {
  readonly index: number;
  readonly createdDay: number;
  /** The day it closed (left the file), or Infinity. */
  closedDay: number;
  readonly finess: string;
  readonly entity: LegalEntity;
  readonly category: CategorySpec;
  readonly categoryLabel: string;
  readonly rs: string;
  readonly rslongue: string;
  complrs: string;
  readonly address: Address;
  readonly telephone: string;
  readonly telecopie: string;
  readonly siret: string;
  readonly dateouv: string;
  readonly dateautor: string;
  datemaj: string;
  mft: readonly [string, string];
  x: number;
  y: number;
  readonly crs: ProjectedCrs;
  precision: string;
  score: number;
  geoDate: string;
  readonly domain: string;
  readonly orgMailboxes: number;
}

export interface CategoryIndex {
  /** Establishments of the category in index (= creation) order, closed ones included. */
  readonly all: readonly Establishment[];
  readonly byDepartement: ReadonlyMap<string, readonly Establishment[]>;
}

export interface EstablishmentUniverse {
  readonly day: number;
  /** Every establishment created by `day`, in index order, closed ones included. */
  readonly all: readonly Establishment[];
  readonly baseCount: number;
  readonly byCategory: ReadonlyMap<string, CategoryIndex>;
}

/** Daily rates: openings (share of the base count, at least one a day), and per-establishment events. */
const OPENINGS_PER_DAY = 0.0002;
const EVENTS_PER_DAY = 0.0016;

const PUBLIC_STATUS: Readonly<Record<string, readonly string[]>> = {
  chu: ['13'],
  hospital: ['13', '14', '11'],
  centre: ['21', '03', '17', '02'],
  residence: ['21', '17', '22'],
  generic: ['19', '21', '26'],
};
const PRIVATE_STATUS: Readonly<Record<string, readonly string[]>> = {
  pharmacy: ['85', '85', '91', '70', '72', '101'],
  lab: ['91', '86', '101'],
  clinic: ['95', '73', '105', '61'],
  centre: ['60', '60', '61', '47', '80'],
  residence: ['60', '61', '95', '105', '63'],
  generic: ['60', '61', '63', '95'],
};

/** All categories with their counts at `scale`: the main ones keep at least one establishment. */
export function categoriesAt(
  scale: number,
  nomenclatures: Nomenclatures,
): { spec: CategorySpec; count: number; label: string }[] {
  const table = nomenclatures.table('TRE_R66-CategorieEtablissement');
  if (!table) {
    throw new Error('TRE_R66-CategorieEtablissement is not vendored');
  }
  const main = new Map(MAIN_CATEGORIES.map((c) => [c.code, c]));
  const out: { spec: CategorySpec; count: number; label: string }[] = [];
  for (const concept of table.concepts()) {
    if (concept.dateFin) {
      continue;
    }
    const spec = main.get(concept.code);
    out.push(
      spec
        ? { spec, count: Math.max(1, Math.round(spec.count * scale)), label: concept.display }
        : {
            spec: longTailCategory(concept.code),
            count: Math.round(LONG_TAIL_COUNT * scale),
            label: concept.display,
          },
    );
  }
  return out;
}

interface Builder {
  readonly seed: number;
  readonly geography: Geography;
  readonly counters: Map<string, number>;
  readonly projectors: Map<string, proj4.Converter>;
  readonly all: Establishment[];
}

/** The next FINESS number of a département: a per-département sequence, scattered, never reused. */
function nextFiness(b: Builder, dep: Departement): string {
  const k = b.counters.get(dep.finessCode) ?? 0;
  b.counters.set(dep.finessCode, k + 1);
  const overseas = dep.code.length === 3;
  const offset = hash4(b.seed, Purpose.LEGAL_ENTITY, dep.code.charCodeAt(0), dep.code.charCodeAt(1)) % 5000;
  const order = overseas ? (offset + k * 37) % 10_000 : (offset + 500 + k * 37) % 100_000;
  return finessOf(overseas ? dep.code : dep.finessCode, order);
}

function newEntity(b: Builder, category: CategorySpec, ordinal: number): LegalEntity {
  const rng = rngFor(b.seed, Purpose.LEGAL_ENTITY, ordinal);
  const departement = b.geography.departements.draw(rng);
  const isPublic = rng.chance(category.publicShare);
  const statuses = (isPublic ? PUBLIC_STATUS : PRIVATE_STATUS)[category.style] ?? ['60'];
  const big =
    category.style === 'chu' ||
    category.style === 'hospital' ||
    category.style === 'lab' ||
    category.style === 'clinic';
  const city = postalCityName(
    (category.style === 'chu'
      ? departement.towns.items[0]!
      : big
        ? departement.towns.draw(rng)
        : departement.communes.draw(rng)
    ).nom,
  );
  return {
    finess: nextFiness(b, departement),
    siren: sirenOf(isPublic ? 2 : rng.pick([3, 4, 5, 7]), ordinal),
    status: rng.pick(statuses),
    departement,
    city,
  };
}

function dateBefore(rng: Rng, day: number, maxYears: number): number {
  return day - 30 - rng.int(maxYears * 365);
}

function newEstablishment(
  b: Builder,
  index: number,
  createdDay: number,
  category: CategorySpec,
  label: string,
  entity: LegalEntity,
  rankInEntity: number,
): Establishment {
  const rng = rngFor(b.seed, Purpose.ESTABLISHMENT, index);
  const style = category.style;
  const inTown =
    style === 'chu' || style === 'hospital' || style === 'clinic' || (style === 'lab' && rng.chance(0.6));
  const address = drawAddress(
    rng,
    entity.departement,
    inTown ? entity.departement.towns.draw(rng) : undefined,
  );
  const name = establishmentName(rng, category, label, address.commune, surname(b.seed, rng), entity.city);
  const opened = createdDay > 0 ? createdDay : dateBefore(rng, 0, 60);
  const crs = crsOfDepartement(address.departement.code);
  let projector = b.projectors.get(crs.code);
  if (!projector) {
    projector = proj4('WGS84', crs.proj4);
    b.projectors.set(crs.code, projector);
  }
  const centroid = address.departement.centroid;
  const lon = centroid.lon + address.commune.offsetLon + (rng.next() - 0.5) * 0.02;
  const lat = centroid.lat + address.commune.offsetLat + (rng.next() - 0.5) * 0.015;
  const [x, y] = projector.forward([lon, lat]);
  const expected = category.orgMailboxes;
  const orgMailboxes = Math.floor(expected) + (rng.chance(expected - Math.floor(expected)) ? 1 : 0);
  return {
    index,
    createdDay,
    closedDay: Infinity,
    finess: nextFiness(b, entity.departement),
    entity,
    category,
    categoryLabel: label,
    rs: name.rs,
    rslongue: name.rslongue,
    complrs: rng.chance(0.08) ? rng.pick(['SITE PRINCIPAL', 'BATIMENT A', 'ANTENNE', 'SITE ANNEXE']) : '',
    address,
    telephone: rng.chance(0.93) ? drawPhone(rng, address.commune) : '',
    telecopie: rng.chance(0.45) ? drawPhone(rng, address.commune) : '',
    siret: category.style === 'pharmacy' || rng.chance(0.85) ? siretOf(entity.siren, 10 + rankInEntity) : '',
    dateouv: isoDate(opened),
    dateautor: isoDate(opened - (rng.chance(0.3) ? rng.int(400) : 0)),
    datemaj: isoDate(Math.max(opened, -rng.int(2500))),
    mft: category.mft,
    x: Math.round(x * 10) / 10,
    y: Math.round(y * 10) / 10,
    crs,
    precision: rng.chance(0.85) ? '1' : rng.pick(['2', '3', '4']),
    score: 80 + rng.int(20),
    geoDate: isoDate(-rng.int(200)),
    domain: name.domain,
    orgMailboxes,
  };
}

/** Applies establishment `e`'s events up to `day`: small edits, and its closure. */
function applyEvents(seed: number, e: Establishment, day: number): void {
  let d = e.createdDay;
  for (let k = 0; ; k++) {
    const u = unit(hash4(seed, Purpose.ESTABLISHMENT_EVENT, e.index, k));
    d += 1 + Math.floor(Math.log(1 - u) / Math.log(1 - EVENTS_PER_DAY));
    if (d > day) {
      return;
    }
    const rng = new Rng(hash4(seed, Purpose.ESTABLISHMENT_EVENT, e.index, 1_000_000 + k));
    const kind = rng.next();
    e.datemaj = isoDate(d);
    if (kind < 0.08) {
      e.closedDay = d;
      return;
    } else if (kind < 0.4) {
      e.complrs = e.complrs ? '' : rng.pick(['SITE PRINCIPAL', 'BATIMENT B', 'POLE SANTE', 'ANTENNE']);
    } else if (kind < 0.65) {
      e.precision = '1';
      e.score = Math.min(99, e.score + 3);
      e.x = Math.round((e.x + (rng.next() - 0.5) * 40) * 10) / 10;
      e.y = Math.round((e.y + (rng.next() - 0.5) * 40) * 10) / 10;
      e.geoDate = isoDate(d);
    } else if (kind < 0.75 && e.mft[0] !== '') {
      e.mft = rng.pick<readonly [string, string]>([
        ['57', 'DGS ARS & hébergement PCD - sous CPOM'],
        ['07', 'ARS'],
        ['40', 'ARS TP HAS PCD'],
      ]);
    }
  }
}

export function buildEstablishments(
  seed: number,
  scale: number,
  day: number,
  geography: Geography,
  nomenclatures: Nomenclatures,
): EstablishmentUniverse {
  const b: Builder = { seed, geography, counters: new Map(), projectors: new Map(), all: [] };
  const categories = categoriesAt(scale, nomenclatures);
  let entityOrdinal = 0;
  for (const { spec, count, label } of categories) {
    let entity: LegalEntity | undefined;
    for (let k = 0; k < count; k++) {
      if (k % spec.perEntity === 0) {
        entity = newEntity(b, spec, entityOrdinal++);
      }
      b.all.push(newEstablishment(b, b.all.length, 0, spec, label, entity!, k % spec.perEntity));
    }
  }
  const baseCount = b.all.length;
  const perDay = Math.max(1, Math.round(baseCount * OPENINGS_PER_DAY));
  const weights = new WeightedTable(categories, (c) => c.count);
  for (let d = 1; d <= day; d++) {
    for (let k = 0; k < perDay; k++) {
      const index = b.all.length;
      const c = weights.at(unit(hash4(seed, Purpose.ESTABLISHMENT, index, 1)));
      b.all.push(newEstablishment(b, index, d, c.spec, c.label, newEntity(b, c.spec, entityOrdinal++), 0));
    }
  }
  const byCategory = new Map<string, { all: Establishment[]; byDepartement: Map<string, Establishment[]> }>();
  for (const e of b.all) {
    applyEvents(seed, e, day);
    let idx = byCategory.get(e.category.code);
    if (!idx) {
      idx = { all: [], byDepartement: new Map() };
      byCategory.set(e.category.code, idx);
    }
    idx.all.push(e);
    const dep = e.address.departement.code;
    const list = idx.byDepartement.get(dep) ?? [];
    list.push(e);
    idx.byDepartement.set(dep, list);
  }
  return { day, all: b.all, baseCount, byCategory };
}

/** How many of `list` (in creation order) existed on `day`. */
export function countCreatedBy(list: readonly Establishment[], day: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.createdDay <= day) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}
