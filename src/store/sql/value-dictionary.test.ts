import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import type { SqlRunner } from './engine.js';
import { fnv1a, hex } from './index-terms.js';
import { ValueDictionary } from './value-dictionary.js';

/** A real FTS5 index of string terms `s1_{norm}_…`, as the store writes them, and its vocabulary view. */
function dictionaryOf(norms: readonly string[]): Promise<ValueDictionary> {
  const db = new Database(':memory:');
  // As the schema creates it (schema.ts): '_' inside a term.
  db.exec(`CREATE VIRTUAL TABLE search_doc USING fts5(terms, detail=none, tokenize="ascii tokenchars '_'")`);
  db.exec('CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_doc, row)');
  const insert = db.prepare('INSERT INTO search_doc (terms) VALUES (?)');
  for (const norm of norms) {
    insert.run(`s1_${hex(norm)}_${fnv1a(norm.toUpperCase())}`);
  }
  const runner = {
    all: <T>(sql: string, params: readonly unknown[] = []) =>
      Promise.resolve(db.prepare(sql).all(...params) as T[]),
  } as SqlRunner;
  return ValueDictionary.load(runner, 's1_');
}

describe('ValueDictionary', () => {
  it(':contains finds exactly the values holding the text, in term order, through its 3-character index', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.stringMatching(/^[abé ]{0,9}$/), { maxLength: 60 }),
        fc.stringMatching(/^[abé ]{1,5}$/),
        fc.integer({ min: 1, max: 30 }),
        async (norms, needle, max) => {
          const d = await dictionaryOf(norms);
          const found = d.containing(needle, max);
          // What a test of every value answers, in the vocabulary's (byte) order.
          const holding = norms
            .filter((n) => n.includes(needle))
            .map((n) => `s1_${hex(n)}_${fnv1a(n.toUpperCase())}`)
            .sort();
          assert.deepEqual(found, holding.length > max ? 'too-many' : holding);
        },
      ),
      { numRuns: 300 },
    );
  });
});
