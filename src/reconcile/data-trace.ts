/**
 * `meta.extension` as-ext-data-trace: which information system a resource comes from (RPPS, FINESS, MSS…) and,
 * when the file says, the registration authority (TRE_R60, e.g. CNOM, ARS-11).
 */
import type { Coder } from './coder.js';
import { EXTENSION } from './vocabulary.js';

export function dataTrace(
  coder: Coder,
  system: 'RPPS' | 'FINESS' | 'MSS' | 'CG',
  authority?: string,
): Record<string, unknown> {
  const extension: unknown[] = [];
  if (authority) {
    extension.push({
      url: 'autorite-enregistrement',
      valueCodeableConcept: {
        coding: [coder.coding({ table: 'TRE_R60-AutoriteEnregistrement', code: authority })],
      },
    });
  }
  extension.push({ url: 'systeme-information', valueCode: system });
  return { url: EXTENSION.dataTrace, extension };
}

/**
 * The registration authority of an activity line: the file writes up to three, `CNOM/CNOM/CNOM` or
 * `ARS/CPAM/CPAM`; the first is the authority that registered the person.
 */
export const firstAuthority = (text: string): string | undefined => {
  const first = text.split('/')[0]?.trim();
  return first ? first : undefined;
};
