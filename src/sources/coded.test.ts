import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isoDate } from './coded.js';

/** The definition isoDate follows: the three forms by regular expression, checked by a round trip through Date. */
function reference(text: string): string | undefined {
  if (text === '') {
    return '';
  }
  const m =
    /^(\d{4})-(\d{2})-(\d{2})$/.exec(text) ??
    /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text)?.reverse() ??
    /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!m) {
    return undefined;
  }
  const [y, mo, d] = text.includes('/') ? [m[0], m[1], m[2]] : [m[1], m[2], m[3]];
  const iso = `${y}-${mo}-${d}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(iso) ? iso : undefined;
}

describe('isoDate', () => {
  it('reads the three forms of the national files', () => {
    assert.equal(isoDate('2024-02-29'), '2024-02-29');
    assert.equal(isoDate('29/02/2024'), '2024-02-29');
    assert.equal(isoDate('20240229'), '2024-02-29');
    assert.equal(isoDate(''), '');
  });

  it('refuses what is not a calendar date', () => {
    for (const text of [
      '2023-02-29',
      '1900-02-29',
      '2024-13-01',
      '2024-00-10',
      '2024-04-31',
      '31/04/2024',
      '2024-1-01',
      ' 2024-01-01',
      '2024/01/01',
      '２０２４-01-01',
    ]) {
      assert.equal(isoDate(text), undefined, text);
    }
    assert.equal(isoDate('2000-02-29'), '2000-02-29');
  });

  it('agrees with the regular expressions and Date on any text of digits and separators', () => {
    const text = fc
      .array(fc.constantFrom('0', '1', '2', '3', '9', '-', '/'), { maxLength: 11 })
      .map((cs) => cs.join(''));
    const dates = fc
      .tuple(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
      )
      .chain(([y, m, d]) => {
        const [yy, mm, dd] = [
          String(y).padStart(4, '0'),
          String(m).padStart(2, '0'),
          String(d).padStart(2, '0'),
        ];
        return fc.constantFrom(`${yy}-${mm}-${dd}`, `${dd}/${mm}/${yy}`, `${yy}${mm}${dd}`);
      });
    fc.assert(
      fc.property(fc.oneof(text, dates), (t) => isoDate(t) === reference(t)),
      { numRuns: 20000 },
    );
  });
});
