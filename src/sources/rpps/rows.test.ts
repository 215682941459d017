import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { readHeader, type PipeTable } from '../input/pipe-table.js';
import { DIPL_AUT_EXERC, PERSONNE_ACTIVITE, SAVOIR_FAIRE } from './columns.js';
import {
  DIPL_AUT_EXERC_REQUIRED,
  diplAutExercKey,
  diplAutExercRow,
  PERSONNE_ACTIVITE_REQUIRED,
  personneActiviteKey,
  personneActiviteRow,
  SAVOIR_FAIRE_REQUIRED,
  savoirFaireKey,
  savoirFaireRow,
  type LineKey,
} from './rows.js';

/** Field values that hit every check: empty, blank, identifiers that agree or not, codes, a bad structure id. */
const value = fc.constantFrom(
  '',
  ' ',
  '8',
  '0',
  'X',
  '10',
  '10000000001',
  '810000000001',
  'DE',
  'S',
  'R1 ',
  'a/b',
);

function agree<K extends string>(
  columns: Readonly<Record<K, string>>,
  required: readonly K[],
  key: (t: PipeTable<K>, text: string) => LineKey | string,
  row: (t: PipeTable<K>, text: string) => { idNatPs: string; profession?: { code: string } } | string,
): void {
  const names = Object.values<string>(columns);
  const table = readHeader(names.join('|'), columns, required, 'test');
  // Mostly a person whose identifiers agree (the three first columns), so the later checks are reached.
  const line = fc
    .tuple(
      fc.array(value, { minLength: names.length, maxLength: names.length }),
      fc.integer({ min: 0, max: 4 }),
      fc.integer({ min: -1, max: 1 }),
    )
    .map(([fields, person, extra]) => {
      if (person > 0) {
        fields.splice(0, 3, '8', '10000000001', '810000000001');
      }
      const kept = fields.slice(0, names.length + Math.min(extra, 0));
      return kept.join('|') + (extra > 0 ? '||' : '|');
    });
  fc.assert(
    fc.property(line, (text) => {
      const k = key(table, text);
      const r = row(table, text);
      if (typeof r === 'string') {
        assert.equal(k, r);
      } else {
        assert.deepEqual(k, {
          idNatPs: r.idNatPs,
          ...(r.profession ? { profession: r.profession.code } : {}),
        });
      }
    }),
    { numRuns: 5000 },
  );
}

describe('line checks', () => {
  it('personneActiviteKey refuses and reads what personneActiviteRow does', () => {
    agree(PERSONNE_ACTIVITE, PERSONNE_ACTIVITE_REQUIRED, personneActiviteKey, personneActiviteRow);
  });
  it('diplAutExercKey refuses and reads what diplAutExercRow does', () => {
    agree(DIPL_AUT_EXERC, DIPL_AUT_EXERC_REQUIRED, diplAutExercKey, diplAutExercRow);
  });
  it('savoirFaireKey refuses and reads what savoirFaireRow does', () => {
    agree(SAVOIR_FAIRE, SAVOIR_FAIRE_REQUIRED, savoirFaireKey, savoirFaireRow);
  });
});
