/**
 * Small national extract files for tests, written from the format rules (annuaire-formats.md §1–3) through the
 * project's own column lists: `|` files with their header and trailing `|`, the FINESS etalab csv with its
 * first line and doubled-quote quoting, zips as the national site serves them, and a Windows-1252 variant.
 */
import { createWriteStream, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import yazl from 'yazl';
import { luhnKey } from '../../src/domain/luhn.js';
import { PORTEURS_CPS_CPF } from '../../src/sources/cps/columns.js';
import { MSSANTE } from '../../src/sources/mssante/columns.js';
import {
  DIPL_AUT_EXERC,
  PERSONNE_ACTIVITE,
  PERSONNE_ACTIVITE_CURRENT_ONLY,
  SAVOIR_FAIRE,
} from '../../src/sources/rpps/columns.js';

type Row<C extends Record<string, string>> = Partial<Record<keyof C, string>>;

export interface PipeFileOptions {
  readonly trailingPipe?: boolean;
  readonly crlf?: boolean;
  readonly bom?: boolean;
  readonly encoding?: 'utf-8' | 'windows-1252';
  /** Names of columns to leave out of the header and the lines (an older layout). */
  readonly without?: readonly string[];
}

/** Windows-1252 bytes of a text (only the Latin-1 range, which is all the national files use). */
export function windows1252(text: string): Buffer {
  const out = Buffer.alloc(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff) {
      throw new RangeError(`"${text[i]}" is not in Latin-1`);
    }
    out[i] = c;
  }
  return out;
}

export function pipeFile<C extends Record<string, string>>(
  columns: C,
  rows: readonly (Row<C> | string)[],
  options: PipeFileOptions = {},
): Buffer {
  const keys = (Object.keys(columns) as (keyof C)[]).filter((k) => !options.without?.includes(columns[k]!));
  const end = options.trailingPipe === false ? '' : '|';
  const eol = options.crlf ? '\r\n' : '\n';
  const lines = [
    keys.map((k) => columns[k]).join('|') + end,
    ...rows.map((r) => (typeof r === 'string' ? r : keys.map((k) => r[k] ?? '').join('|') + end)),
  ];
  const text = (options.bom ? '\uFEFF' : '') + lines.join(eol) + eol;
  return options.encoding === 'windows-1252' ? windows1252(text) : Buffer.from(text, 'utf8');
}

export const rpps = (n: number): string => {
  const body = `1${String(n).padStart(9, '0')}`;
  return body + luhnKey(body);
};

export interface Person {
  readonly rpps?: string;
  readonly adeli?: string;
  readonly nom: string;
  readonly prenom: string;
  readonly profession?: string;
  readonly situations?: readonly Row<typeof PERSONNE_ACTIVITE>[];
}

/** Personne_activite rows of a person: one per situation, or one without structure. */
export function activityRows(p: Person): Row<typeof PERSONNE_ACTIVITE>[] {
  const type = p.rpps ? '8' : '0';
  const id = p.rpps ?? p.adeli!;
  const base: Row<typeof PERSONNE_ACTIVITE> = {
    typeIdentifiant: type,
    identifiant: id,
    idNatPs: type + id,
    nomExercice: p.nom,
    prenomExercice: p.prenom,
    codeProfession: p.profession ?? '10',
    libelleProfession: p.profession === '60' ? 'Infirmier' : 'Médecin',
    codeCategorie: 'C',
    libelleCategorie: 'Civil',
    autoriteEnregistrement: 'CNOM/CNOM/CNOM',
  };
  return (p.situations ?? [{}]).map((s) => ({ ...base, ...s }));
}

export const liberalSite = (siret: string, nom: string): Row<typeof PERSONNE_ACTIVITE> => ({
  codeModeExercice: 'L',
  libelleModeExercice: 'Libéral',
  siret,
  structureId: `C${siret}`,
  raisonSociale: nom,
  numeroVoie: '12',
  libelleTypeVoie: 'RUE',
  libelleVoie: 'DE LA PAIX',
  codePostal: '75011',
  codeCommune: '75111',
  libelleCommune: 'Paris 11e Arrondissement',
  codeRole: 'FON-AU',
  libelleRole: 'Autre fonction',
  codeGenreActivite: 'GENR01',
  libelleGenreActivite: 'Activité standard de soin',
});

export const finessSite = (finess: string): Row<typeof PERSONNE_ACTIVITE> => ({
  codeModeExercice: 'S',
  libelleModeExercice: 'Salarié',
  finessSite: finess,
  structureId: `F${finess}`,
  raisonSociale: 'SITE FINESS',
  codePostal: '01440',
  libelleCommune: 'VIRIAT',
  codeRole: 'FON-AU',
  codeGenreActivite: 'GENR01',
});

export const personneActivite = (
  rows: readonly (Row<typeof PERSONNE_ACTIVITE> | string)[],
  options?: PipeFileOptions,
): Buffer => pipeFile(PERSONNE_ACTIVITE, rows, options);

export const legacyLayout: PipeFileOptions = { without: PERSONNE_ACTIVITE_CURRENT_ONLY };

export const savoirFaire = (rows: readonly (Row<typeof SAVOIR_FAIRE> | string)[]): Buffer =>
  pipeFile(SAVOIR_FAIRE, rows);
export const diplomes = (rows: readonly (Row<typeof DIPL_AUT_EXERC> | string)[]): Buffer =>
  pipeFile(DIPL_AUT_EXERC, rows);
export const mssante = (rows: readonly (Row<typeof MSSANTE> | string)[]): Buffer =>
  pipeFile(MSSANTE, rows, { trailingPipe: false });
export const cps = (
  rows: readonly (Row<typeof PORTEURS_CPS_CPF> | string)[],
  options?: PipeFileOptions,
): Buffer => pipeFile(PORTEURS_CPS_CPF, rows, options);

/** A FINESS field, quoted with doubled quotes when it holds `;` or `"`. */
const csvField = (v: string): string => (/[;"]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export interface Establishment {
  readonly finess: string;
  readonly ej: string;
  readonly name: string;
  readonly categorie?: string;
  /** Lambert-93 (or other) coordinates and the CRS text of the record. */
  readonly x?: number;
  readonly y?: number;
  readonly crs?: string;
}

export function finessFile(list: readonly Establishment[], extra: readonly string[] = []): Buffer {
  const lines = ['finess;etalab;111;2026-11-20'];
  for (const e of list) {
    const f = [
      'structureet',
      e.finess,
      e.ej,
      e.name,
      e.name,
      '',
      '',
      '900',
      'RTE',
      'DE PARIS',
      '',
      '',
      '451',
      '01',
      'AIN',
      '01440 VIRIAT',
      '0474454647',
      '',
      e.categorie ?? '355',
      'Centre Hospitalier (C.H.)',
      '1102',
      'Centres Hospitaliers',
      '',
      '8610Z',
      '03',
      'ARS',
      '1',
      'Etablissement public de santé',
      '1979-02-13',
      '1979-02-13',
      '2020-02-04',
      '',
    ];
    lines.push(f.map(csvField).join(';'));
  }
  for (const e of list) {
    if (e.x !== undefined) {
      lines.push(
        [
          'geolocalisation',
          e.finess,
          String(e.x),
          String(e.y),
          e.crs ?? '1,ATLASANTE,96,BAN,EPSG:2154 RGF93 / Lambert-93 (Métropole)',
          '2026-05-04',
        ]
          .map(csvField)
          .join(';'),
      );
    }
  }
  lines.push(...extra);
  return Buffer.from(lines.join('\n') + '\n', 'utf8');
}

/** Writes a zip holding the given files (name → bytes), as the national site serves them. */
export async function writeZip(path: string, files: Readonly<Record<string, Buffer>>): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const [name, bytes] of Object.entries(files)) {
    zip.addBuffer(bytes, name);
  }
  zip.end();
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(path);
    zip.outputStream.pipe(out).on('close', resolve).on('error', reject);
  });
}

export function writeFile(dir: string, name: string, bytes: Buffer): string {
  const path = `${dir}/${basename(name)}`;
  writeFileSync(path, bytes);
  return path;
}
