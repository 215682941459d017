import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PERSONNE_ACTIVITE as PA } from '../../sources/rpps/columns.js';
import { compareGroup } from './compare.js';
import { DIFF_SPECS, resolveEntities } from './entities.js';
import { formatChange } from './format.js';

const header = Object.values(PA);
const line = (values: Partial<Record<keyof typeof PA, string>>): string =>
  (Object.keys(PA) as (keyof typeof PA)[]).map((k) => values[k] ?? '').join('|') + '|';

const person = {
  idNatPs: '810000000001',
  nomExercice: 'DUPONT',
  codeProfession: '10',
  structureId: 'C1',
  codeModeExercice: 'L',
};

describe('compareGroup', () => {
  const { entities } = resolveEntities(DIFF_SPECS['personne-activite'], header, header, false);

  it('compares the savoir-faire of a situation as a set of values', () => {
    const before = [
      line({ ...person, codeSavoirFaire: 'SM54' }),
      line({ ...person, codeSavoirFaire: 'SM26' }),
    ];
    const after = [...before, line({ ...person, codeSavoirFaire: 'SM99' })];
    assert.deepEqual(compareGroup(before, after, entities, true), [
      {
        kind: 'situation',
        key: '810000000001/C1/10/L/',
        change: 'changed',
        fields: [{ field: PA.codeSavoirFaire, old: 'SM26 ; SM54', new: 'SM26 ; SM54 ; SM99' }],
      },
    ]);
    assert.deepEqual(compareGroup(before, [...before].reverse(), entities, true), []);
  });

  it('reports every entity of a group only one side has', () => {
    const lines = [line(person), line({ ...person, structureId: 'C2' })];
    assert.deepEqual(
      compareGroup([], lines, entities, true).map((c) => `${c.kind} ${c.key} ${c.change}`),
      [
        'professional 810000000001 added',
        'situation 810000000001/C1/10/L/ added',
        'situation 810000000001/C2/10/L/ added',
      ],
    );
  });
});

describe('formatChange', () => {
  it('quotes csv fields as RFC 4180 does', () => {
    const change = {
      kind: 'situation' as const,
      key: 'k',
      change: 'changed' as const,
      fields: [{ field: PA.raisonSociale, old: 'CABINET "A", B', new: 'X' }],
    };
    assert.equal(
      formatChange(change, 'csv'),
      `situation,k,changed,${PA.raisonSociale},"CABINET ""A"", B",X\n`,
    );
    assert.deepEqual(JSON.parse(formatChange(change, 'ndjson')), {
      kind: 'situation',
      key: 'k',
      change: 'changed',
      fields: { [PA.raisonSociale]: { old: 'CABINET "A", B', new: 'X' } },
    });
  });
});
