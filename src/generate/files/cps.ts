/**
 * `Porteurs_CPS_CPF_*.txt`: one line per CPS/CPF card, `|`-separated with a trailing `|`, columns in the
 * reconstructed order of the sources' columns.ts. Encoded in Windows-1252: the real file is believed to be
 * ISO-8859-1, and cp1252 exercises the importer's non-UTF-8 fallback. The format notes give no date format
 * for this file, so dates are written `DD/MM/YYYY`, as French administrative extracts do.
 * Format: ../shared/reference/annuaire-formats.md §2.2.
 */
import { PORTEURS_CPS_CPF } from '../../sources/cps/columns.js';
import { frenchDate } from '../calendar.js';
import { encodeCp1252 } from '../encoding.js';
import { cardNumberOf } from '../identifiers.js';
import type { Labels } from '../labels.js';
import type { PractitionerFactory } from '../practitioner.js';
import { headerOf, rowWriter } from './rows.js';
import type { LineSource } from '../zip.js';
import { identityColumns, presentPractitioners, type Tick } from './ps-libre-acces.js';

/** Card serials per person (see practitioner.ts): keeps card numbers unique across people. */
const SERIALS_PER_PERSON = 8;

export function cpsSource(factory: PractitionerFactory, labels: Labels, tick: Tick): LineSource {
  const row = rowWriter(PORTEURS_CPS_CPF, '|', true);
  return {
    encode: encodeCp1252,
    lines: function* (): Generator<string> {
      yield headerOf(PORTEURS_CPS_CPF, '|', true);
      for (const person of presentPractitioners(factory, tick)) {
        if (person.cards.length === 0) {
          continue;
        }
        const identity = identityColumns(person, labels);
        const type = person.profession.spec.category === 'E' ? 'CPF' : 'CPS';
        for (const card of person.cards) {
          yield row({
            ...identity,
            codeTypeCarte: type,
            libelleTypeCarte: labels.of('TRE_R87-TypeCarte', type),
            numeroCarte: cardNumberOf(person.slot * SERIALS_PER_PERSON + card.serial),
            identifiantNationalCarte: card.idNat,
            debutValidite: frenchDate(card.start),
            finValidite: frenchDate(card.end),
            dateOpposition: card.opposition === undefined ? '' : frenchDate(card.opposition),
            dateMiseAJour: frenchDate(Math.max(card.start, card.opposition ?? card.start)),
          });
        }
      }
    },
  };
}
