/**
 * Lines of the MSSanté extract as typed rows: a mailbox, its type (TRE_R257: PER personal, ORG organisational,
 * APP applicative, CAB practice), its holder (a person by idNat_PS, or a structure by technical id) and the
 * structure it is attached to.
 */
import type { CodedValue } from '../../domain/coded-value.js';
import { coded } from '../coded.js';
import { field, splitFields, type PipeTable } from '../input/pipe-table.js';
import type { MSSANTE } from './columns.js';

export type MssanteKey = keyof typeof MSSANTE;

export const MSSANTE_REQUIRED: readonly MssanteKey[] = [
  'typeBal',
  'adresseBal',
  'idNatPs',
  'identificationStructure',
];

export interface MssanteRow {
  readonly type: CodedValue;
  readonly adresse: string;
  /** The person holding a PER mailbox ('' for an organisational one). */
  readonly idNatPs: string;
  /** The structure's technical id (`F`+FINESS…), '' when none. */
  readonly structureId: string;
  readonly service: string;
  readonly dematerialisation?: boolean;
  readonly raisonSociale: string;
}

/** A loose check: one `@`, no spaces. Real addresses are `prenom.nom@domaine.mssante.fr`. */
const MAILBOX = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function mssanteRow(t: PipeTable<MssanteKey>, text: string): MssanteRow | string {
  const f = splitFields(t, text);
  if (typeof f === 'string') {
    return f;
  }
  const v = (k: MssanteKey): string => field(t, f, k);
  const adresse = v('adresseBal');
  if (!MAILBOX.test(adresse)) {
    return `mailbox address "${adresse}" is not an e-mail address`;
  }
  const type = coded('TRE_R257-TypeBAL', v('typeBal'), '');
  if (!type) {
    return 'no mailbox type';
  }
  const idNatPs = v('idNatPs');
  const structureId = v('identificationStructure');
  if (idNatPs === '' && structureId === '') {
    return 'the mailbox has neither a person nor a structure';
  }
  const demat = v('dematerialisation').toLowerCase();
  return {
    type,
    adresse,
    idNatPs,
    structureId,
    service: v('serviceRattachement'),
    ...(demat === '' ? {} : { dematerialisation: demat === 'true' || demat === '1' || demat === 'oui' }),
    raisonSociale: v('raisonSociale'),
  };
}
