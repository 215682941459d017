import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isFhirId, organizationId, practitionerId, practitionerRoleId } from './resource-ids.js';

describe('resource ids from business identifiers', () => {
  it('uses idNat_PS and the structure technical id as they are', () => {
    assert.equal(practitionerId('810003461033'), '810003461033');
    assert.equal(practitionerId('0012600631'), '0012600631');
    assert.equal(organizationId('F010000024'), 'F010000024');
    assert.equal(organizationId('C75912415900'), 'C75912415900');
  });

  it('derives a stable, valid id for each practice situation', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[08]\d{9,11}$/),
        fc.option(fc.string({ minLength: 1, maxLength: 20 }), { nil: undefined }),
        fc.string({ minLength: 1, maxLength: 3 }),
        (idNatPs, structureId, profession) => {
          const key = { idNatPs, profession, ...(structureId ? { structureId } : {}) };
          const id = practitionerRoleId(key);
          return isFhirId(id) && id === practitionerRoleId({ ...key }) && id.startsWith(idNatPs);
        },
      ),
    );
    const key = {
      idNatPs: '810003461033',
      structureId: 'F010000024',
      profession: '10',
      role: 'FON-AU',
      mode: 'S',
    };
    assert.notEqual(practitionerRoleId(key), practitionerRoleId({ ...key, structureId: 'F010000025' }));
  });

  it('replaces characters outside the FHIR id alphabet, and refuses what cannot be an id', () => {
    assert.equal(organizationId('R10100000328372 '), 'R10100000328372-');
    assert.throws(() => organizationId('x'.repeat(65)), RangeError);
  });
});
