import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { addTerms, fnv1a, hex, matchQuery, unhex } from './index-terms.js';

describe('index terms', () => {
  it('encode any text as one [a-z0-9] token, reversibly', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const token = hex(text);
        return /^[a-z0-9]*$/.test(token) && unhex(token) === text;
      }),
      { numRuns: 5000 },
    );
    assert.equal(hex('martin'), 'martin');
    assert.equal(hex('SM54'), 'qsqm54');
    assert.equal(hex('quai'), 'q0uai');
  });

  it('keep prefixes: the token of a prefix is a prefix of the token', () => {
    fc.assert(
      fc.property(fc.string(), fc.nat(), (text, cut) =>
        hex(text).startsWith(hex(text.slice(0, cut % (text.length + 1)))),
      ),
      { numRuns: 5000 },
    );
  });

  it('build the query terms a document holds', () => {
    const terms: string[] = [];
    addTerms(terms, 4, { kind: 'token', code: 'identifier', system: 's', value: 'A1', type: 't|RPPS' }, 2, 3);
    addTerms(terms, 5, { kind: 'string', code: 'family', norm: 'lefevre', exact: 'LEFÈVRE' }, 0, 0);
    addTerms(terms, 6, { kind: 'reference', code: 'organization', target: 'Organization/F1' }, 0, 0);
    assert.deepEqual(terms, [
      't4_qa1_2',
      'y4_qa1_3',
      `s5_lefevre_${fnv1a('LEFÈVRE')}`,
      `r6_${hex('Organization/F1')}`,
    ]);
    // Any system: a prefix query up to the separator, which cannot match a longer value (A10).
    assert.equal(
      matchQuery(4, { kind: 'token', code: 'identifier', value: 'A1' }, undefined, undefined),
      '"t4_qa1_"*',
    );
    assert.equal(
      matchQuery(4, { kind: 'token', code: 'identifier', value: 'A1' }, 2, 3),
      '"t4_qa1_2" AND "y4_qa1_3"',
    );
    assert.equal(
      matchQuery(5, { kind: 'string', code: 'family', mode: 'prefix', norm: 'lef' }, undefined, undefined),
      '"s5_lef"*',
    );
    assert.equal(
      matchQuery(
        5,
        { kind: 'string', code: 'family', mode: 'equals', norm: 'lefevre' },
        undefined,
        undefined,
      ),
      '"s5_lefevre_"*',
    );
    assert.notEqual(fnv1a('LEFÈVRE'), fnv1a('LEFEVRE'));
  });
});
