import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkAdeli,
  checkFiness,
  checkRpps,
  checkSiren,
  checkSiret,
  idNatPs,
  idNatStruct,
  parseIdNatPs,
  PersonIdType,
  StructureIdType,
} from './identifiers.js';
import { luhnKey } from './luhn.js';

describe('national identifiers', () => {
  it('builds and splits idNat_PS and idNat_Struct with their TRE_G08 / TRE_G07 prefixes', () => {
    assert.equal(idNatPs(PersonIdType.RPPS, '10003461033'), '810003461033');
    assert.equal(idNatPs(PersonIdType.ADELI, '012600631'), '0012600631');
    assert.deepEqual(parseIdNatPs('0012600631'), { type: '0', id: '012600631' });
    assert.deepEqual(parseIdNatPs('810003461033'), { type: '8', id: '10003461033' });
    assert.equal(parseIdNatPs('9123'), undefined);
    assert.equal(parseIdNatPs('8'), undefined);
    assert.equal(idNatStruct(StructureIdType.FINESS, '010000024'), '1010000024');
    assert.equal(idNatStruct(StructureIdType.SIRET, '26010004500012'), '326010004500012');
  });

  it('warns on a bad RPPS key, never rejects', () => {
    const rpps = `1000346103${luhnKey('1000346103')}`;
    assert.equal(checkRpps(rpps), undefined);
    const bad = checkRpps('10003461033');
    assert.equal(bad?.code, 'bad-key');
    assert.equal(bad.field, 'identifier.rpps');
    assert.match(checkRpps('123')?.message ?? '', /not 11 digits/);
  });

  it('checks FINESS numbers, including Corsica and overseas', () => {
    // Real establishments of the FINESS open-data sample (CH de Fleyriat and its legal entity).
    assert.equal(checkFiness('010000024'), undefined);
    assert.equal(checkFiness('010780054'), undefined);
    assert.equal(checkFiness('010000025')?.code, 'bad-key');
    const corsica = `2A000001${luhnKey('20000001')}`;
    assert.equal(checkFiness(corsica), undefined);
    assert.match(checkFiness('12345')?.message ?? '', /not 9 characters/);
  });

  it('checks SIREN and SIRET keys, with La Poste’s exception', () => {
    assert.equal(checkSiren('260100045'), undefined); // SIREN of the CH de Bourg-en-Bresse (FINESS sample)
    assert.equal(checkSiret('26010004500012'), undefined);
    assert.equal(checkSiret('26010004500013')?.code, 'bad-key');
    assert.equal(checkSiret('35600000000001'), undefined); // La Poste: digit sum multiple of 5
    assert.equal(checkSiret('35600000000002')?.code, 'bad-key');
    assert.equal(checkSiren('12345678')?.code, 'bad-key');
  });

  it('keeps ADELI numbers as text with their leading zeros', () => {
    assert.equal(checkAdeli('012600631'), undefined);
    assert.equal(checkAdeli('2A1234567'), undefined);
    assert.equal(checkAdeli('12600631')?.code, 'bad-key');
  });
});
