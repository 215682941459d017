import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fold } from './fold.js';

describe('fold', () => {
  it('makes search case- and accent-insensitive', () => {
    assert.equal(fold('BÉNÉDICTE'), 'benedicte');
    assert.equal(fold('bénédicte'), fold('BENEDICTE'));
    assert.equal(fold('LEFÈVRE'), 'lefevre');
    assert.equal(fold('JÉRÔME'), 'jerome');
    assert.equal(fold('Œuvre  de   SOINS '), 'oeuvre de soins');
    assert.equal(fold('Ça'), 'ca');
    assert.equal(fold('İSTANBUL'), 'istanbul');
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => fold(fold(s)) === fold(s)),
      { numRuns: 20000 },
    );
  });
});
