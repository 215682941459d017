/** Lines of the CPS/CPF holders extract as typed rows: one card of one person. */
import type { CodedValue } from '../../domain/coded-value.js';
import { coded, isoDate } from '../coded.js';
import { field, splitFields, type PipeTable } from '../input/pipe-table.js';
import { PORTEURS_CPS_CPF } from './columns.js';

export type CpsKey = keyof typeof PORTEURS_CPS_CPF;

export const CPS_REQUIRED: readonly CpsKey[] = ['identifiant', 'codeTypeCarte', 'numeroCarte'];

export interface CpsRow {
  readonly idNatPs: string;
  readonly type: CodedValue; // TRE_R87-TypeCarte
  readonly numero: string;
  readonly identifiantNational: string;
  readonly debutValidite: string;
  readonly finValidite: string;
  readonly dateOpposition: string;
  readonly dateMiseAJour: string;
}

const DATES = ['debutValidite', 'finValidite', 'dateOpposition', 'dateMiseAJour'] as const;

export function cpsRow(t: PipeTable<CpsKey>, text: string): CpsRow | string {
  const f = splitFields(t, text);
  if (typeof f === 'string') {
    return f;
  }
  const v = (k: CpsKey): string => field(t, f, k);
  // Files without the national id column carry the RPPS alone: an RPPS is 11 digits, anything else ADELI.
  const identifiant = v('identifiant');
  const typeIdentifiant = v('typeIdentifiant') || (/^\d{11}$/.test(identifiant) ? '8' : '0');
  const idNatPs = v('idNatPs') || typeIdentifiant + identifiant;
  if (identifiant === '') {
    return 'no person identifier';
  }
  if (idNatPs !== typeIdentifiant + identifiant) {
    return `national id "${idNatPs}" is not the identifier type "${typeIdentifiant}" followed by the identifier "${identifiant}"`;
  }
  const type = coded('TRE_R87-TypeCarte', v('codeTypeCarte'), v('libelleTypeCarte'));
  const numero = v('numeroCarte');
  if (!type || numero === '') {
    return 'no card type or number';
  }
  const dates: Record<(typeof DATES)[number], string> = {
    debutValidite: '',
    finValidite: '',
    dateOpposition: '',
    dateMiseAJour: '',
  };
  for (const k of DATES) {
    const d = isoDate(v(k));
    if (d === undefined) {
      return `"${PORTEURS_CPS_CPF[k]}" is not a date: "${v(k)}"`;
    }
    dates[k] = d;
  }
  return { idNatPs, type, numero, identifiantNational: v('identifiantNationalCarte'), ...dates };
}
