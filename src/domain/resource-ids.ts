/**
 * Stable FHIR ids derived from business identifiers, never from a sequence: reloading the same file yields the
 * same ids, and a professional keeps the same URL forever (users-pain-points.md #7).
 *
 * - Practitioner: idNat_PS (`8`+RPPS, `0`+ADELI).
 * - Organization: the structure's technical id (`F`+FINESS, `C`+SIRET, `R`+RPPS rang…).
 * - PractitionerRole: a short digest of (person, structure, profession, role, mode), because a situation has no
 *   public business id of its own in the open-data files.
 */
import { createHash } from 'node:crypto';

/** FHIR ids: [A-Za-z0-9\-\.]{1,64}. https://hl7.org/fhir/R4/datatypes.html#id */
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

export const isFhirId = (id: string): boolean => FHIR_ID.test(id);

export const practitionerId = (idNatPs: string): string => fhirId(idNatPs);

export const organizationId = (structureId: string): string => fhirId(structureId);

export interface SituationKey {
  readonly idNatPs: string;
  readonly structureId?: string;
  readonly profession: string;
  readonly role?: string;
  readonly mode?: string;
}

export function practitionerRoleId(key: SituationKey): string {
  const material = [key.idNatPs, key.structureId ?? '', key.profession, key.role ?? '', key.mode ?? ''].join(
    '|',
  );
  // 16 bytes of SHA-256 in hex: collisions are out of reach at national scale (~2.4M situations).
  return `${key.idNatPs}-${createHash('sha256').update(material).digest('hex').slice(0, 16)}`;
}

/** Characters outside the FHIR id alphabet (rare in business ids) are replaced so the id stays valid and stable. */
function fhirId(value: string): string {
  const id = value.replace(/[^A-Za-z0-9\-.]/g, '-');
  if (!FHIR_ID.test(id)) {
    throw new RangeError(`cannot derive a FHIR id from "${value}"`);
  }
  return id;
}
