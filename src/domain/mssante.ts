/** MSSanté mailbox (BAL): personal (PER), organisational (ORG), applicative (APP) or practice (CAB). */
import type { CodedValue } from './coded-value.js';

export interface BoiteLettreMSS {
  readonly adresse: string;
  readonly type: CodedValue; // TRE_R257-TypeBAL
  readonly description?: string;
  readonly service?: string;
  /** Whether the holder accepts dematerialised exchanges (`Dématérialisation`). */
  readonly dematerialisation?: boolean;
  /** Red-listed mailboxes are not published in the public perimeter. */
  readonly listeRouge?: boolean;
}
