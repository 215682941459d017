/**
 * National identifiers of persons and structures, and the checks on their keys.
 *
 * idNat_PS = a TRE_G08 type prefix + the identifier (`8` + RPPS, `0` + ADELI, ...).
 * idNat_Struct = a TRE_G07 type prefix + the identifier (`1` + FINESS, `2` + SIREN, `3` + SIRET, `4` + RPPS rang,
 * `0` + ADELI rang). See ../shared/reference/annuaire-formats.md §4.4.
 *
 * A bad key never rejects a record: published example numbers fail it. The check returns a warning instead.
 */
import { luhnValid } from './luhn.js';
import type { RecordWarning } from './warning.js';

/** TRE_G08-TypeIdentifiantPersonne: prefix of idNat_PS. */
export const PersonIdType = {
  ADELI: '0',
  CABINET_ADELI: '1',
  FINESS: '3',
  SIREN: '4',
  SIRET: '5',
  CABINET_RPPS: '6',
  RPPS: '8',
} as const;
export type PersonIdType = (typeof PersonIdType)[keyof typeof PersonIdType];

/** TRE_G07-TypeIdentifiantStructure: prefix of idNat_Struct. */
export const StructureIdType = {
  ADELI_RANG: '0',
  FINESS: '1',
  SIREN: '2',
  SIRET: '3',
  RPPS_RANG: '4',
} as const;
export type StructureIdType = (typeof StructureIdType)[keyof typeof StructureIdType];

export const idNatPs = (type: PersonIdType, id: string): string => type + id;
export const idNatStruct = (type: StructureIdType, id: string): string => type + id;

/** Splits an idNat_PS into its type prefix and identifier; undefined when the prefix is not a TRE_G08 code. */
export function parseIdNatPs(idNat: string): { type: PersonIdType; id: string } | undefined {
  const type = idNat.charAt(0) as PersonIdType;
  return Object.values(PersonIdType).includes(type) && idNat.length > 1
    ? { type, id: idNat.slice(1) }
    : undefined;
}

const warning = (field: string, message: string): RecordWarning => ({ code: 'bad-key', field, message });

/** RPPS: 11 digits, the last one a Luhn key. */
export function checkRpps(rpps: string): RecordWarning | undefined {
  if (!/^\d{11}$/.test(rpps)) {
    return warning('identifier.rpps', `RPPS "${rpps}" is not 11 digits`);
  }
  return luhnValid(rpps) ? undefined : warning('identifier.rpps', `RPPS "${rpps}" fails its Luhn key`);
}

/** ADELI: 9 characters, starting with the département (2A/2B in Corsica). It carries no key we can check. */
export function checkAdeli(adeli: string): RecordWarning | undefined {
  return /^(\d{2}|2[AB])\d{7}$/.test(adeli)
    ? undefined
    : warning('identifier.adeli', `ADELI "${adeli}" is not 9 characters`);
}

/**
 * FINESS: 9 characters (département, then digits, the last a Luhn key). Corsican numbers start with 2A/2B; the
 * letter counts as 0 in the key, the usual convention of FINESS readers.
 */
export function checkFiness(finess: string): RecordWarning | undefined {
  if (!/^(\d{2}|2[AB]|9[A-J])\d{7}$/.test(finess)) {
    return warning('identifier.finess', `FINESS "${finess}" is not 9 characters`);
  }
  return luhnValid(finessDigits(finess))
    ? undefined
    : warning('identifier.finess', `FINESS "${finess}" fails its Luhn key`);
}

/** The digits the FINESS key is computed on (letters of 2A/2B/9A… count as 0). */
export const finessDigits = (finess: string): string => finess.replace(/[A-J]/g, '0');

/** SIREN: 9 digits with a Luhn key. */
export function checkSiren(siren: string): RecordWarning | undefined {
  if (!/^\d{9}$/.test(siren)) {
    return warning('identifier.siren', `SIREN "${siren}" is not 9 digits`);
  }
  return luhnValid(siren) ? undefined : warning('identifier.siren', `SIREN "${siren}" fails its Luhn key`);
}

/**
 * SIRET: SIREN + 5-digit NIC, the whole with a Luhn key. La Poste's establishments (SIREN 356000000) use a
 * digit-sum rule instead: https://fr.wikipedia.org/wiki/Syst%C3%A8me_d%27identification_du_r%C3%A9pertoire_des_%C3%A9tablissements
 */
export function checkSiret(siret: string): RecordWarning | undefined {
  if (!/^\d{14}$/.test(siret)) {
    return warning('identifier.siret', `SIRET "${siret}" is not 14 digits`);
  }
  if (siret.startsWith('356000000')) {
    const sum = [...siret].reduce((s, c) => s + Number(c), 0);
    return sum % 5 === 0 ? undefined : warning('identifier.siret', `SIRET "${siret}" fails La Poste's key`);
  }
  return luhnValid(siret) ? undefined : warning('identifier.siret', `SIRET "${siret}" fails its Luhn key`);
}
