/** CPS/CPF card (carte de professionnel de santé / de formation). */
import type { CodedValue } from './coded-value.js';

export interface CarteProfessionnel {
  readonly type: CodedValue; // TRE_R87-TypeCarte
  readonly numero: string;
  readonly identifiantNational?: string;
  readonly debutValidite?: string;
  readonly finValidite?: string;
  /** An opposed card is no longer valid; the date is restricted data. */
  readonly dateOpposition?: string;
  readonly dateMiseAJour?: string;
}
