/**
 * FHIR Address and ContactPoint values from the structures' coordinates, as the as-dp profiles shape them: the
 * lines of the postal address, city, postal code, the INSEE commune code (fr-core-address-insee-code) and, when
 * known, the position (the standard geolocation extension).
 */
import type { Position } from '../domain/coordonnees.js';
import { EXTENSION } from './vocabulary.js';

export interface AddressParts {
  readonly lines: readonly string[];
  readonly city?: string;
  readonly postalCode?: string;
  readonly inseeCode?: string;
  readonly country?: string;
  readonly position?: Position;
}

const TRE_R13 = 'https://mos.esante.gouv.fr/NOS/TRE_R13-CommuneOM/FHIR/TRE-R13-CommuneOM';

export function fhirAddress(a: AddressParts): Record<string, unknown> | undefined {
  const lines = a.lines.map((l) => l.trim()).filter((l) => l !== '');
  if (lines.length === 0 && !a.city && !a.postalCode) {
    return undefined;
  }
  const extension: unknown[] = [];
  if (a.inseeCode) {
    extension.push({ url: EXTENSION.inseeCode, valueCoding: { system: TRE_R13, code: a.inseeCode } });
  }
  if (a.position) {
    extension.push({
      url: EXTENSION.geolocation,
      extension: [
        { url: 'latitude', valueDecimal: a.position.latitude },
        { url: 'longitude', valueDecimal: a.position.longitude },
      ],
    });
  }
  return {
    ...(extension.length > 0 ? { extension } : {}),
    use: 'work',
    type: 'both',
    ...(lines.length > 0 ? { line: lines } : {}),
    ...(a.city ? { city: a.city } : {}),
    ...(a.postalCode ? { postalCode: a.postalCode } : {}),
    ...(a.country ? { country: a.country } : {}),
  };
}

/** `01440 VIRIAT` → postal code and city. */
export function splitAcheminement(line: string): { postalCode?: string; city?: string } {
  const m = /^(\d{5})\s+(.*)$/.exec(line.trim());
  if (!m) {
    return line.trim() === '' ? {} : { city: line.trim() };
  }
  return { postalCode: m[1]!, ...(m[2] ? { city: m[2] } : {}) };
}

/** The street line: number, repetition index, street type and name, e.g. `900 RTE DE PARIS`. */
export const streetLine = (...parts: string[]): string =>
  parts
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .join(' ');

export function phoneTelecom(system: 'phone' | 'fax' | 'email', value: string): Record<string, unknown>[] {
  return value.trim() === '' ? [] : [{ system, value: value.trim(), use: 'work' }];
}
