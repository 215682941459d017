/**
 * Communes and départements to place people and structures in, weighted by population
 * (@etalab/decoupage-administratif, the INSEE geography). Départements are the 101 of France plus
 * Saint-Pierre-et-Miquelon; the other overseas collectivities have no FINESS/RPPS département of their own here.
 */
import { createRequire } from 'node:module';
import { DEPARTEMENT_CENTROIDS, type Centroid } from './departement-centroids.js';
import { WeightedTable } from './prng.js';
import { ligneAcheminement, plainUpper } from './text.js';

interface RawCommune {
  readonly code: string;
  readonly nom: string;
  readonly departement: string;
  readonly region: string;
  readonly type: string;
  readonly codesPostaux?: readonly string[];
  readonly population?: number;
}

interface RawDepartement {
  readonly code: string;
  readonly nom: string;
}

export interface Commune {
  /** INSEE code (`01451`). */
  readonly code: string;
  readonly nom: string;
  readonly departement: string;
  readonly region: string;
  readonly codePostal: string;
  /** `01440 VIRIAT`. */
  readonly acheminement: string;
  readonly population: number;
  /** The commune's own small offset from the département centre, so its structures cluster. */
  readonly offsetLat: number;
  readonly offsetLon: number;
}

export interface Departement {
  readonly code: string;
  readonly nom: string;
  /** Upper case, no accents (`GUADELOUPE`): FINESS's libdepartement. */
  readonly nomUpper: string;
  /** FINESS's département code: overseas as `9A`…`9F`. */
  readonly finessCode: string;
  readonly centroid: Centroid;
  readonly communes: WeightedTable<Commune>;
  /** Its ten largest communes, where hospitals, clinics and laboratories mostly are. */
  readonly towns: WeightedTable<Commune>;
}

export interface Geography {
  readonly departements: WeightedTable<Departement>;
  readonly byCode: ReadonlyMap<string, Departement>;
}

const FINESS_OVERSEAS: Readonly<Record<string, string>> = {
  '971': '9A',
  '972': '9B',
  '973': '9C',
  '974': '9D',
  '975': '9E',
  '976': '9F',
};

/** Loads the communes once; the result is read-only and shared by all writers of a run. */
export function loadGeography(): Geography {
  const require = createRequire(import.meta.url);
  const communes = require('@etalab/decoupage-administratif/data/communes.json') as RawCommune[];
  const departements = require('@etalab/decoupage-administratif/data/departements.json') as RawDepartement[];
  const byDep = new Map<string, Commune[]>();
  for (const raw of communes) {
    const centroid = DEPARTEMENT_CENTROIDS[raw.departement];
    if (raw.type !== 'commune-actuelle' || !centroid || !raw.codesPostaux?.length) {
      continue;
    }
    // A stable pseudo-random offset per commune from its code (no seed: the geography is not random data).
    let h = 0;
    for (let i = 0; i < raw.code.length; i++) {
      h = Math.imul(h ^ raw.code.charCodeAt(i), 0x01000193) >>> 0;
    }
    const a = ((h & 0xffff) / 0xffff) * 2 - 1;
    const b = ((h >>> 16) / 0xffff) * 2 - 1;
    const codePostal = raw.codesPostaux[0]!;
    const list = byDep.get(raw.departement) ?? [];
    list.push({
      code: raw.code,
      nom: raw.nom,
      departement: raw.departement,
      region: raw.region,
      codePostal,
      acheminement: ligneAcheminement(codePostal, raw.nom),
      population: raw.population ?? 0,
      offsetLat: a * centroid.radius * 0.8,
      offsetLon: b * centroid.radius * 1.2,
    });
    byDep.set(raw.departement, list);
  }
  const deps: Departement[] = departements
    .filter((d) => byDep.has(d.code))
    .map((d) => ({
      code: d.code,
      nom: d.nom,
      nomUpper: plainUpper(d.nom).replace(/-/g, ' ').replace(/'/g, ' '),
      finessCode: FINESS_OVERSEAS[d.code] ?? d.code,
      centroid: DEPARTEMENT_CENTROIDS[d.code]!,
      communes: new WeightedTable(byDep.get(d.code)!, (c) => Math.max(c.population, 20)),
      towns: new WeightedTable(
        [...byDep.get(d.code)!]
          .sort((x, y) => y.population - x.population || (x.code < y.code ? -1 : 1))
          .slice(0, 10),
        (c) => Math.max(c.population, 20),
      ),
    }));
  return {
    departements: new WeightedTable(deps, (d) => d.communes.total),
    byCode: new Map(deps.map((d) => [d.code, d])),
  };
}

/** The first two digits of French phone numbers by region (overseas: their own 4-digit prefixes). */
export function phonePrefix(commune: Commune): string {
  switch (commune.departement) {
    case '971':
      return '0590';
    case '972':
      return '0596';
    case '973':
      return '0594';
    case '974':
      return '0262';
    case '976':
      return '0269';
    case '975':
      return '0508';
    default:
  }
  switch (commune.region) {
    case '11':
      return '01';
    case '24':
    case '28':
    case '52':
    case '53':
      return '02';
    case '27':
    case '32':
    case '44':
      return '03';
    case '84':
    case '93':
    case '94':
      return '04';
    case '76':
      return ['11', '30', '34', '48', '66'].includes(commune.departement) ? '04' : '05';
    default:
      return '05';
  }
}
