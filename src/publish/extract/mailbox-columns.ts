/**
 * MSSanté mailboxes back to lines of the MSSanté extract: the inverse of reconcile/mailbox.ts. A mailbox is a
 * ContactPoint typed MSSANTE (fr-core-contact-point-email-type) with its as-ext-mailbox-mss-metadata.
 */
import type { MSSANTE } from '../../sources/mssante/columns.js';
import { EXTENSION } from '../../reconcile/vocabulary.js';
import { codingsOf } from './codes.js';
import { arrayOf, text, type Json } from './json.js';

export type MssanteColumns = Partial<Record<keyof typeof MSSANTE, string>>;

/** The MSSanté mailboxes of a resource's telecom, in their order. */
export function mailboxesOf(resource: Json): Json[] {
  return arrayOf(resource['telecom']).filter((t) =>
    arrayOf(t['extension']).some((e) => e['url'] === EXTENSION.emailType),
  );
}

/** The mailbox's own columns (type, address, service, dematerialisation). */
export function mailboxColumns(mailbox: Json): MssanteColumns {
  const metadata = arrayOf(
    arrayOf(mailbox['extension']).find((e) => e['url'] === EXTENSION.mailboxMetadata)?.['extension'],
  );
  const sub = (url: string): Json | undefined => metadata.find((e) => e['url'] === url);
  const type = codingsOf(sub('type')?.['valueCodeableConcept'])[0]?.code ?? '';
  const digitization = sub('digitization')?.['valueBoolean'];
  return {
    typeBal: type,
    adresseBal: text(mailbox['value']),
    serviceRattachement: text(sub('service')?.['valueString']),
    // The national file writes True / False.
    dematerialisation: digitization === undefined ? '' : digitization === true ? 'True' : 'False',
  };
}
