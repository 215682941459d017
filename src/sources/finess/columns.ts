/**
 * Fields of the FINESS etalab extract (`etalab-cs1100507-stock-*.csv`, with positions; `etalab-cs1100502-…`,
 * without). `;`-separated, no header: line 1 is `finess;etalab;<n>;<date>`, then each line starts with its record
 * type. Fields holding `;` or `"` are quoted with doubled quotes. Positions are projected coordinates, in the
 * system the record names (Lambert-93 in mainland France, UTM overseas).
 * Format notes: ../shared/reference/annuaire-formats.md §3.
 */

/** `structureet` records, by position (the first field is the record type). */
export const STRUCTURE_ET = [
  'structureet',
  'nofinesset',
  'nofinessej',
  'rs',
  'rslongue',
  'complrs',
  'compldistrib',
  'numvoie',
  'typvoie',
  'voie',
  'compvoie',
  'lieuditbp',
  'commune',
  'departement',
  'libdepartement',
  'ligneacheminement',
  'telephone',
  'telecopie',
  'categetab',
  'libcategetab',
  'categagretab',
  'libcategagretab',
  'siret',
  'codeape',
  'codemft',
  'libmft',
  'codesph',
  'libsph',
  'dateouv',
  'dateautor',
  'datemaj',
  'numuai',
] as const;

/** `geolocalisation` records. `sourcecoordet`: `<precision>,ATLASANTE,<score>,<source>,<CRS text>`. */
export const GEOLOCALISATION = [
  'geolocalisation',
  'nofinesset',
  'coordxet',
  'coordyet',
  'sourcecoordet',
  'datemaj',
] as const;

export type StructureEtField = (typeof STRUCTURE_ET)[number];
export type GeolocalisationField = (typeof GEOLOCALISATION)[number];

/** The first line: `finess;etalab;<n>;<YYYY-MM-DD>`. */
export const FINESS_HEADER = /^finess;etalab;[^;]*;(\d{4}-\d{2}-\d{2})\s*$/;
export const FINESS_FILE = /^etalab-cs110050[27]-stock-(\d{8})-(\d{4})\.csv$/;
