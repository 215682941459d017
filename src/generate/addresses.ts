/**
 * Postal addresses and phone numbers in real communes. Street types are the abbreviations FINESS and the RPPS
 * use (`R`, `AV`, `RTE`…, TRE_R35 style), street names the most common French ones.
 */
import type { Commune, Departement, Geography } from './geography.js';
import { phonePrefix } from './geography.js';
import { WeightedTable, type Rng } from './prng.js';
import { pad } from './text.js';

export interface Address {
  readonly numero: string;
  /** `B`, `T`… (indice de répétition). */
  readonly indice: string;
  readonly typeVoie: string;
  readonly libelleTypeVoie: string;
  readonly voie: string;
  /** Lieu-dit or BP (mention de distribution). */
  readonly lieuDit: string;
  readonly commune: Commune;
  readonly departement: Departement;
}

const STREET_TYPES = new WeightedTable<readonly [string, string, number]>(
  [
    ['R', 'Rue', 48],
    ['AV', 'Avenue', 16],
    ['BD', 'Boulevard', 7],
    ['PL', 'Place', 7],
    ['RTE', 'Route', 7],
    ['CHE', 'Chemin', 5],
    ['ALL', 'Allée', 3],
    ['IMP', 'Impasse', 2],
    ['QU', 'Quai', 1.5],
    ['CRS', 'Cours', 1.5],
    ['SQ', 'Square', 1],
  ],
  ([, , w]) => w,
);

const STREETS: readonly string[] = [
  'DE LA REPUBLIQUE',
  'DU GENERAL DE GAULLE',
  'JEAN JAURES',
  'VICTOR HUGO',
  'PASTEUR',
  'DE LA GARE',
  "DE L'EGLISE",
  'DES ECOLES',
  'DU MOULIN',
  'NATIONALE',
  'PRINCIPALE',
  'DE PARIS',
  'FOCH',
  'GAMBETTA',
  'CARNOT',
  'DE LA LIBERATION',
  'DU 8 MAI 1945',
  'DU 11 NOVEMBRE',
  'DES TILLEULS',
  'DES LILAS',
  'DU STADE',
  'DE LA MAIRIE',
  'DU CHATEAU',
  'DES PRES',
  'JULES FERRY',
  'DE VERDUN',
  'DE LA PAIX',
  'DU COMMERCE',
  'ANATOLE FRANCE',
  'ALSACE LORRAINE',
  'DES ACACIAS',
  'SAINT MARTIN',
  'DU PORT',
  'DES JARDINS',
  'DE LA FONTAINE',
  'DES VIGNES',
  'DU CENTRE',
  'EMILE ZOLA',
  'JEAN MOULIN',
  'LECLERC',
  'DE LA HALLE',
  'DES CERISIERS',
  'DE BRETAGNE',
  'DU MARECHAL JOFFRE',
  'PIERRE CURIE',
  'DE LYON',
  'DE LA POSTE',
  'DU PRIEURE',
  'DES MARRONNIERS',
  'DE LA CROIX',
  'ARISTIDE BRIAND',
  'GEORGES CLEMENCEAU',
  'DES PEUPLIERS',
  'DU PONT',
  'DE LA LOIRE',
  'DU BOURG',
  'DES CHENES',
  'DES ROSES',
  'DU PARC',
  'DE LA MER',
  'DES HORTENSIAS',
  'SADI CARNOT',
  'LOUIS PASTEUR',
  'MARCEL PAGNOL',
  'DU DOCTEUR SCHWEITZER',
  'DES FRERES LUMIERE',
  "D'ESTIENNE D'ORVES",
  'DE STRASBOURG',
  'DE LA CONCORDE',
  'ROBESPIERRE',
  'DU FAUBOURG',
  'DE LA VALLEE',
];

const LIEUX_DITS: readonly string[] = [
  'ZA LES CHAMPS',
  'ZAC DU CENTRE',
  'LE BOURG',
  'ZI NORD',
  'QUARTIER DE LA GARE',
  'LES HAUTS',
];

export function drawAddress(rng: Rng, departement: Departement, commune?: Commune): Address {
  const c = commune ?? departement.communes.draw(rng);
  const [typeVoie, libelleTypeVoie] = STREET_TYPES.draw(rng);
  const noNumber = rng.chance(0.08);
  const lieuDit = rng.chance(0.06)
    ? rng.pick(LIEUX_DITS)
    : rng.chance(0.02)
      ? `BP ${rng.between(1, 299)}`
      : '';
  return {
    numero: noNumber ? '' : String(rng.chance(0.6) ? rng.between(1, 40) : rng.between(41, 400)),
    indice: !noNumber && rng.chance(0.04) ? rng.pick(['B', 'B', 'T', 'A']) : '',
    typeVoie,
    libelleTypeVoie,
    voie: rng.pick(STREETS),
    lieuDit,
    commune: c,
    departement,
  };
}

/** Draws a commune of France, weighted by population, and an address in it. */
export function drawAddressInFrance(rng: Rng, geography: Geography): Address {
  return drawAddress(rng, geography.departements.draw(rng));
}

/** A 10-digit French phone number for a commune's area (`04 74 45 46 47`, `0590…` overseas). */
export function drawPhone(rng: Rng, commune: Commune): string {
  const prefix = phonePrefix(commune);
  const rest = 10 - prefix.length;
  return prefix + String(rng.between(1, 9)) + pad(rng.int(10 ** (rest - 1)), rest - 1);
}
