import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { luhnKey, luhnValid } from './luhn.js';

describe('luhn', () => {
  it('a body followed by its key is valid', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{1,20}$/), (body) => luhnValid(body + luhnKey(body))),
      { numRuns: 2000 },
    );
  });

  it('detects every single-digit error', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^\d{2,15}$/),
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        (body, at, delta) => {
          const valid = body + luhnKey(body);
          const i = at % valid.length;
          const wrong = valid.slice(0, i) + String((Number(valid[i]) + delta) % 10) + valid.slice(i + 1);
          return !luhnValid(wrong);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('knows published examples', () => {
    assert.equal(luhnValid('4539578763621486'), true); // a test card number
    assert.equal(luhnKey('1000346103'), '4'); // so the IG's example RPPS 10003461033 fails its key
    assert.equal(luhnValid('10003461033'), false);
    assert.equal(luhnValid(''), false);
    assert.equal(luhnValid('12a4'), false);
    assert.throws(() => luhnKey('12a'), RangeError);
  });
});
