import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { luhnKey } from '../domain/luhn.js';
import { composeSystem } from '../main.js';
import { PORTEURS_CPS_CPF } from '../sources/cps/columns.js';
import { CPS_REQUIRED, cpsRow, type CpsRow } from '../sources/cps/rows.js';
import { readHeader } from '../sources/input/pipe-table.js';
import { PERSONNE_ACTIVITE } from '../sources/rpps/columns.js';
import {
  PERSONNE_ACTIVITE_REQUIRED,
  personneActiviteRow,
  type PersonneActiviteRow,
} from '../sources/rpps/rows.js';
import { Coder } from './coder.js';
import { personResources } from './person.js';

/** A line of a `|` file with these columns, the others empty. */
function line<K extends string>(
  columns: Readonly<Record<K, string>>,
  values: Partial<Record<K, string>>,
): string {
  return (Object.keys(columns) as K[]).map((k) => values[k] ?? '').join('|') + '|';
}

const header = (columns: Readonly<Record<string, string>>): string => Object.values(columns).join('|') + '|';

describe('a professional’s Practitioner', () => {
  const coder = new Coder(composeSystem().nomenclatures(), '2026-11-25');
  const rpps = '1000000001' + luhnKey('1000000001');
  const ids = { typeIdentifiant: '8', identifiant: rpps, idNatPs: `8${rpps}` };
  const activity = personneActiviteRow(
    readHeader(header(PERSONNE_ACTIVITE), PERSONNE_ACTIVITE, PERSONNE_ACTIVITE_REQUIRED, 'pa'),
    line(PERSONNE_ACTIVITE, {
      ...ids,
      nomExercice: 'LEFÈVRE',
      prenomExercice: 'HÉLÈNE',
      codeProfession: '10',
    }),
  ) as PersonneActiviteRow;
  const card = (numeroCarte: string, debutValidite: string, finValidite: string): CpsRow =>
    cpsRow(
      readHeader(header(PORTEURS_CPS_CPF), PORTEURS_CPS_CPF, CPS_REQUIRED, 'cps'),
      line(PORTEURS_CPS_CPF, { ...ids, codeTypeCarte: 'CPS', numeroCarte, debutValidite, finValidite }),
    ) as CpsRow;

  it('gives a card its validity period, but none that ends before it starts (per-1), with a warning', () => {
    const { practitioner, warnings } = personResources(
      {
        idNatPs: `8${rpps}`,
        activites: [activity],
        diplomes: [],
        savoirFaire: [],
        mailboxes: [],
        cartes: [card('1', '2024-03-01', '2027-03-01'), card('2', '2026-01-01', '2023-01-01')],
      },
      coder,
    );
    const periods = (
      practitioner['extension'] as { extension: { url: string; valuePeriod?: object }[] }[]
    ).map((e) => e.extension.find((x) => x.url === 'period')?.valuePeriod);
    assert.deepEqual(periods, [{ start: '2024-03-01', end: '2027-03-01' }, undefined]);
    assert.deepEqual(warnings, [
      `Practitioner/8${rpps}: card 2 ends (2023-01-01) before it starts (2026-01-01): published without its validity period`,
    ]);
  });
});
