/**
 * `etalab-cs1100507-stock-YYYYMMDD-HHMM.csv`: the FINESS establishments with their positions. No header: a
 * first line `finess;etalab;<n>;<date>`, then every `structureet` record (32 fields, the last one, numuai,
 * empty, so lines end with `;`), then every `geolocalisation` record. `;`-separated, UTF-8; a field holding
 * `;` or `"` is quoted with doubled quotes. Format: ../shared/reference/annuaire-formats.md §3.
 */
import {
  GEOLOCALISATION,
  STRUCTURE_ET,
  type GeolocalisationField,
  type StructureEtField,
} from '../../sources/finess/columns.js';
import { isoDate } from '../calendar.js';
import type { Establishment, EstablishmentUniverse } from '../establishments.js';
import type { LineSource } from '../zip.js';

const quote = (v: string): string => (/[;"\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

function line<F extends string>(fields: readonly F[], values: Partial<Record<F, string>>): string {
  return fields.map((f) => quote(values[f] ?? '')).join(';') + '\n';
}

function structureet(e: Establishment): string {
  const a = e.address;
  const values: Partial<Record<StructureEtField, string>> = {
    structureet: 'structureet',
    nofinesset: e.finess,
    nofinessej: e.entity.finess,
    rs: e.rs,
    rslongue: e.rslongue,
    complrs: e.complrs,
    compldistrib: '',
    numvoie: a.numero,
    typvoie: a.typeVoie,
    voie: a.voie,
    compvoie: a.indice,
    lieuditbp: a.lieuDit,
    commune: a.commune.code.slice(2),
    departement: a.departement.finessCode,
    libdepartement: a.departement.nomUpper,
    ligneacheminement: a.commune.acheminement,
    telephone: e.telephone,
    telecopie: e.telecopie,
    categetab: e.category.code,
    libcategetab: e.categoryLabel,
    categagretab: e.category.aggregate,
    libcategagretab: e.category.aggregateLabel,
    siret: e.siret,
    codeape: e.category.ape,
    codemft: e.mft[0],
    libmft: e.mft[1],
    codesph: e.category.sph[0],
    libsph: e.category.sph[1],
    dateouv: e.dateouv,
    dateautor: e.dateautor,
    datemaj: e.datemaj,
    numuai: '',
  };
  return line(STRUCTURE_ET, values);
}

function geolocalisation(e: Establishment): string {
  const values: Partial<Record<GeolocalisationField, string>> = {
    geolocalisation: 'geolocalisation',
    nofinesset: e.finess,
    coordxet: e.x.toFixed(1),
    coordyet: e.y.toFixed(1),
    sourcecoordet: `${e.precision},ATLASANTE,${e.score},BAN,${e.crs.label}`,
    datemaj: e.geoDate,
  };
  return line(GEOLOCALISATION, values);
}

export function finessSource(universe: EstablishmentUniverse): LineSource {
  return {
    lines: function* (): Generator<string> {
      const open = universe.all
        .filter((e) => e.closedDay > universe.day)
        .sort((x, y) => (x.finess < y.finess ? -1 : 1));
      yield `finess;etalab;98;${isoDate(universe.day)}\n`;
      for (const e of open) {
        yield structureet(e);
      }
      for (const e of open) {
        yield geolocalisation(e);
      }
    },
  };
}
