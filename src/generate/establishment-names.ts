/**
 * Names of FINESS establishments (rs ≤ 38 characters, rslongue) in the registry's style, and their MSSanté
 * domain. A share of names carry double quotes or a `;` (`EHPAD "LES GLYCINES"`), as the real file does, so
 * the CSV quoting of readers is exercised.
 */
import type { CategorySpec } from './establishment-categories.js';
import type { Commune } from './geography.js';
import type { Rng } from './prng.js';
import { mailPart, postalCityName, stripAccents } from './text.js';

const RESIDENCES = [
  'LES GLYCINES',
  'LE CLOS FLEURI',
  'LES TILLEULS',
  'LA ROSERAIE',
  'LES MIMOSAS',
  'BEAUSEJOUR',
  "L'ESCALE",
  'LE VAL FLEURI',
  'LES HORTENSIAS',
  'SAINT JOSEPH',
  'LA MAISON DU LAC',
  'LES CHARMILLES',
  'LE BON ACCUEIL',
  'LES JARDINS DU CHATEAU',
  'LA SOURCE',
  'LES AUBEPINES',
  'LE PRE VERT',
  'LES CEDRES',
  'LA CLAIRIERE',
  'LES OLIVIERS',
  'LES LAVANDES',
  'BELLEVUE',
  'LES CAMELIAS',
  'LA PROVIDENCE',
  'NOTRE DAME',
  'LE PARC',
  'LES MAGNOLIAS',
  'LES SORBIERS',
];

const CLINICS = [
  'SAINT JOSEPH',
  'DU PARC',
  'LES CEDRES',
  "DE L'ESPERANCE",
  'SAINTE MARIE',
  'PASTEUR',
  'DU MAIL',
  'SAINT GEORGES',
  'DES CHAMPS ELYSEES',
  'DU VAL DE LOIRE',
  'SAINT VINCENT',
  'DU DOCTEUR CALMETTE',
  'LES FONTAINES',
  'BELLEDONNE',
  'DE LA SAGESSE',
  'SAINT AUGUSTIN',
  'DU LITTORAL',
  'LES EAUX VIVES',
  'MONTPLAISIR',
];

const HOSPITALS = [
  'NORD',
  'SUD',
  'FEMME MERE ENFANT',
  'PIERRE PAUL RIQUET',
  'EDOUARD HERRIOT',
  'DE LA CROIX ROUSSE',
  'PELLEGRIN',
  'SAINT ELOI',
  'CIMIEZ',
  'HAUTEPIERRE',
  'DE BRABOIS',
  'LAPEYRONIE',
  'CHARLES NICOLLE',
  'GABRIEL MONTPIED',
];

const PHARMACY = [
  'DU CENTRE',
  'DE LA GARE',
  'DU MARCHE',
  'DE LA MAIRIE',
  'DES HALLES',
  'CENTRALE',
  "DE L'EGLISE",
  'DU PORT',
  'DES ECOLES',
  'DU CHATEAU',
  'DE LA PLACE',
  'DU PONT',
  'PRINCIPALE',
  'DU SOLEIL',
  'DES QUATRE CHEMINS',
];

const CENTRE_PREFIX: Readonly<Record<string, string>> = {
  '124': 'CENTRE DE SANTE',
  '354': 'SSIAD',
  '209': 'SERVICE AUTONOMIE AIDE ET SOINS',
  '460': 'SAAD',
  '603': 'MAISON DE SANTE PLURIPROFESSIONNELLE',
  '604': 'CPTS',
  '156': 'CMP',
  '189': 'CMPP',
  '207': 'ACCUEIL DE JOUR',
  '141': 'CENTRE DE DIALYSE',
  '146': "UNITE D'AUTODIALYSE",
  '132': 'EFS SITE DE',
  '165': 'ACT',
  '178': 'CAARUD',
  '445': 'SAMSAH',
  '446': 'SAVS',
  '246': 'ESAT',
  '223': 'PMI',
  '606': 'DAC',
  '609': 'MDPH',
};

const RESIDENCE_PREFIX: Readonly<Record<string, string>> = {
  '500': 'EHPAD',
  '202': 'RESIDENCE AUTONOMIE',
  '183': 'IME',
  '186': 'ITEP',
  '449': 'FOYER DE VIE',
  '255': 'MAS',
  '462': 'LIEU DE VIE',
  '214': 'CHRS',
};

export interface EstablishmentName {
  readonly rs: string;
  readonly rslongue: string;
  /** The MSSanté domain label of its organisational mailboxes (before `.mssante.fr`). */
  readonly domain: string;
}

/** A residence or service name, sometimes quoted or with a `;` as real registrations are typed. */
function decorated(rng: Rng, prefix: string, name: string): string {
  const u = rng.next();
  if (u < 0.06) {
    return `${prefix} "${name}"`;
  }
  if (u < 0.1) {
    return `${prefix} ${name} ; ${rng.pick(['UNITE ALZHEIMER', 'ANTENNE', 'SITE 2', 'ACCUEIL DE JOUR'])}`;
  }
  return `${prefix} ${name}`;
}

const short = (s: string): string => (s.length <= 38 ? s : s.slice(0, 38).trimEnd());

export function establishmentName(
  rng: Rng,
  category: CategorySpec,
  categoryLabel: string,
  commune: Commune,
  surname: string,
  entityCity: string,
): EstablishmentName {
  const city = postalCityName(commune.nom);
  const citySlug = mailPart(commune.nom);
  switch (category.style) {
    case 'pharmacy': {
      const long = rng.chance(0.3)
        ? `PHARMACIE ${stripAccents(surname)}`
        : rng.chance(0.15)
          ? `GRANDE PHARMACIE DE ${city}`
          : `PHARMACIE ${rng.pick(PHARMACY)}`;
      return { rs: short(long), rslongue: long, domain: `pharmacie-${citySlug}` };
    }
    case 'lab': {
      const long = `LBM ${entityCity} - SITE ${city}`;
      return { rs: short(long), rslongue: long, domain: `lbm-${mailPart(entityCity)}` };
    }
    case 'chu': {
      const site = rng.pick(HOSPITALS);
      return {
        rs: short(`CHU ${entityCity} - HOPITAL ${site}`),
        rslongue: `CENTRE HOSPITALIER UNIVERSITAIRE DE ${entityCity} - HOPITAL ${site}`,
        domain: `chu-${mailPart(entityCity)}`,
      };
    }
    case 'hospital':
      return {
        rs: short(`CH DE ${city}`),
        rslongue: `CENTRE HOSPITALIER DE ${city}`,
        domain: `ch-${citySlug}`,
      };
    case 'clinic': {
      const name = rng.pick(CLINICS);
      const kind = rng.pick(['CLINIQUE', 'POLYCLINIQUE', 'HOPITAL PRIVE', 'CLINIQUE']);
      const long = `${kind} ${name}`;
      return {
        rs: short(long),
        rslongue: `${long} ${city}`.slice(0, 60),
        domain: mailPart(`${kind}-${name}-${city}`),
      };
    }
    case 'residence': {
      const prefix = RESIDENCE_PREFIX[category.code] ?? 'RESIDENCE';
      const long = decorated(rng, prefix, rng.chance(0.1) ? `LES JARDINS DE ${city}` : rng.pick(RESIDENCES));
      return { rs: short(long), rslongue: long, domain: mailPart(`${prefix}-${citySlug}`) };
    }
    case 'centre': {
      const prefix = CENTRE_PREFIX[category.code] ?? 'CENTRE';
      const long = rng.chance(0.25) ? decorated(rng, prefix, rng.pick(RESIDENCES)) : `${prefix} ${city}`;
      return { rs: short(long), rslongue: long, domain: mailPart(`${prefix}-${citySlug}`) };
    }
    case 'generic': {
      const label = stripAccents(categoryLabel)
        .toUpperCase()
        .replace(/\(.*?\)/g, '')
        .replace(/\s+/g, ' ')
        .trim();
      const long = `${label.slice(0, 40).trimEnd()} ${city}`;
      return { rs: short(long), rslongue: long, domain: mailPart(`etab-${citySlug}`) };
    }
  }
}
