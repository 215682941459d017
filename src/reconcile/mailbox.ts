/**
 * An MSSanté mailbox as a FHIR ContactPoint: `system: email`, typed MSSANTE (fr-core-contact-point-email-type),
 * with its metadata (as-ext-mailbox-mss-metadata: BAL type, service, dematerialisation), as the official API
 * emits it (annuaire-formats.md §4.7).
 */
import type { MssanteRow } from '../sources/mssante/rows.js';
import type { Coder } from './coder.js';
import { EXTENSION } from './vocabulary.js';

const TRE_R256 = 'https://mos.esante.gouv.fr/NOS/TRE_R256-TypeMessagerie/FHIR/TRE-R256-TypeMessagerie';

export function mailboxTelecom(row: MssanteRow, coder: Coder): Record<string, unknown> {
  const metadata: unknown[] = [{ url: 'type', valueCodeableConcept: { coding: [coder.coding(row.type)] } }];
  if (row.service !== '') {
    metadata.push({ url: 'service', valueString: row.service });
  }
  if (row.dematerialisation !== undefined) {
    metadata.push({ url: 'digitization', valueBoolean: row.dematerialisation });
  }
  return {
    extension: [
      { url: EXTENSION.emailType, valueCoding: { system: TRE_R256, code: 'MSSANTE' } },
      { url: EXTENSION.mailboxMetadata, extension: metadata },
    ],
    system: 'email',
    value: row.adresse,
  };
}

/** Mailboxes in a stable order (by address), so the same mailboxes always give the same resource. */
export const byAddress = (a: MssanteRow, b: MssanteRow): number =>
  a.adresse < b.adresse ? -1 : a.adresse > b.adresse ? 1 : 0;
