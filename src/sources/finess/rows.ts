/**
 * Lines of the FINESS etalab extract as typed rows. Most lines have no quotes and split on `;`; a line with a
 * quote goes through csv-parse, which handles the doubled-quote convention (`"NAME ""QUOTED"" PART"`).
 */
import { parse } from 'csv-parse/sync';
import type { CodedValue } from '../../domain/coded-value.js';
import { coded, isoDate } from '../coded.js';
import {
  GEOLOCALISATION,
  STRUCTURE_ET,
  type GeolocalisationField,
  type StructureEtField,
} from './columns.js';

export interface StructureEtRow {
  readonly kind: 'structureet';
  readonly nofinesset: string;
  readonly nofinessej: string;
  readonly rs: string;
  readonly rslongue: string;
  readonly complrs: string;
  readonly compldistrib: string;
  readonly numvoie: string;
  readonly typvoie: string;
  readonly voie: string;
  readonly compvoie: string;
  readonly lieuditbp: string;
  /** INSEE commune code (COG): département + commune. */
  readonly codeCommune: string;
  readonly departement: string;
  readonly ligneacheminement: string;
  readonly telephone: string;
  readonly telecopie: string;
  readonly categorie?: CodedValue; // TRE_R66
  readonly siret: string;
  readonly codeape: string;
  readonly dateouv: string;
  readonly datemaj: string;
}

export interface GeolocalisationRow {
  readonly kind: 'geolocalisation';
  readonly nofinesset: string;
  readonly x: number;
  readonly y: number;
  readonly source: string;
}

export type FinessRow = StructureEtRow | GeolocalisationRow;

function fields(text: string): string[] | string {
  if (!text.includes('"')) {
    return text.split(';');
  }
  try {
    const records: string[][] = parse(text, { delimiter: ';', relax_column_count: true });
    const record = records[0];
    return record ?? [];
  } catch (e) {
    return `unreadable quoting: ${(e as Error).message.split('\n')[0]!}`;
  }
}

/** A record of `names.length` fields; a trailing empty field (the line ends with `;`) is allowed. */
function record<N extends string>(f: string[], names: readonly N[]): Record<N, string> | string {
  if (f.length === names.length + 1 && f[names.length] === '') {
    f.pop();
  }
  if (f.length !== names.length) {
    return `a ${names[0]} record has ${names.length} fields, found ${f.length}`;
  }
  const r = {} as Record<N, string>;
  names.forEach((n, i) => (r[n] = f[i]!.trim()));
  return r;
}

const FINESS = /^(\d{2}|2[AB]|9[A-J]|97|98)[0-9A-Z]{7}$/;

export function finessRow(text: string): FinessRow | string {
  const f = fields(text);
  if (typeof f === 'string') {
    return f;
  }
  switch (f[0]) {
    case 'structureet': {
      // The last field (numuai) is optional in older files: pad to the known width.
      while (f.length < STRUCTURE_ET.length) {
        f.push('');
      }
      const r = record<StructureEtField>(f, STRUCTURE_ET);
      if (typeof r === 'string') {
        return r;
      }
      if (!FINESS.test(r.nofinesset)) {
        return `FINESS "${r.nofinesset}" is not 9 characters`;
      }
      if (r.nofinessej !== '' && !FINESS.test(r.nofinessej)) {
        return `legal entity FINESS "${r.nofinessej}" is not 9 characters`;
      }
      const dateouv = isoDate(r.dateouv);
      const datemaj = isoDate(r.datemaj);
      if (dateouv === undefined || datemaj === undefined) {
        return `bad date: "${dateouv === undefined ? r.dateouv : r.datemaj}"`;
      }
      return {
        kind: 'structureet',
        nofinesset: r.nofinesset,
        nofinessej: r.nofinessej,
        rs: r.rs,
        rslongue: r.rslongue,
        complrs: r.complrs,
        compldistrib: r.compldistrib,
        numvoie: r.numvoie,
        typvoie: r.typvoie,
        voie: r.voie,
        compvoie: r.compvoie,
        lieuditbp: r.lieuditbp,
        codeCommune: r.commune === '' ? '' : communeCode(r.departement, r.commune),
        departement: r.departement,
        ligneacheminement: r.ligneacheminement,
        telephone: r.telephone,
        telecopie: r.telecopie,
        categorie: coded('TRE_R66-CategorieEtablissement', r.categetab, r.libcategetab),
        siret: r.siret,
        codeape: r.codeape,
        dateouv,
        datemaj,
      };
    }
    case 'geolocalisation': {
      const r = record<GeolocalisationField>(f, GEOLOCALISATION);
      if (typeof r === 'string') {
        return r;
      }
      const x = Number(r.coordxet);
      const y = Number(r.coordyet);
      if (r.coordxet === '' || r.coordyet === '' || !Number.isFinite(x) || !Number.isFinite(y)) {
        return `coordinates "${r.coordxet}", "${r.coordyet}" are not numbers`;
      }
      return { kind: 'geolocalisation', nofinesset: r.nofinesset, x, y, source: r.sourcecoordet };
    }
    default:
      return `unknown record type "${f[0] ?? ''}"`;
  }
}

/**
 * The INSEE code from FINESS's département and 3-character commune. Overseas, FINESS writes the département as
 * 9A…9J (971…) and the commune's last two digits; the INSEE code is 97 + the commune part.
 */
export function communeCode(departement: string, commune: string): string {
  if (/^9[A-J]$/.test(departement)) {
    return `97${commune.padStart(3, '0')}`;
  }
  return `${departement}${commune}`.slice(0, 5);
}
