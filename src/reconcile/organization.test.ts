import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { composeSystem } from '../main.js';
import { finessRow, type StructureEtRow } from '../sources/finess/rows.js';
import { Coder } from './coder.js';
import { establishmentOrganization } from './organization.js';

describe('establishment Organization', () => {
  const coder = new Coder(composeSystem().nomenclatures(), '2026-11-25');
  const ctx = { coder, mailboxes: new Map(), warn: () => undefined };
  const line = (phone: string): StructureEtRow =>
    finessRow(
      `structureet;010000024;;CH;CH;;;900;RTE;DE PARIS;;;451;01;AIN;01440 VIRIAT;${phone};;355;CH;1102;CH;;;03;ARS;1;EPS;1979-02-13;1979-02-13;2020-02-04;`,
    ) as StructureEtRow;

  it('has no empty telecom or partOf when the file gives none (FHIR forbids empty arrays)', () => {
    const org = establishmentOrganization(line(''), undefined, ctx);
    assert.equal('telecom' in org, false);
    assert.equal('partOf' in org, false);
    assert.deepEqual(establishmentOrganization(line('0474454647'), undefined, ctx)['telecom'], [
      { system: 'phone', value: '0474454647', use: 'work' },
    ]);
  });
});
