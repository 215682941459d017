import * as assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_DB, parseDbUrl } from './db-url.js';

describe('--db URL', () => {
  it('reads sqlite paths and postgres URLs', () => {
    assert.deepEqual(parseDbUrl(DEFAULT_DB), { engine: 'sqlite', path: resolve('data/annuaire.db') });
    assert.deepEqual(parseDbUrl('sqlite:///tmp/a.db'), { engine: 'sqlite', path: '/tmp/a.db' });
    assert.deepEqual(parseDbUrl('sqlite:/tmp/a.db'), { engine: 'sqlite', path: '/tmp/a.db' });
    assert.deepEqual(parseDbUrl('postgres://u@h:5432/db'), {
      engine: 'postgres',
      url: 'postgres://u@h:5432/db',
    });
    assert.deepEqual(parseDbUrl('postgresql://h/db'), { engine: 'postgres', url: 'postgresql://h/db' });
  });

  it('says what is wrong with a bad URL, naming --db', () => {
    assert.throws(
      () => parseDbUrl('mysql://x'),
      (e: Error & { expression?: string }) => {
        assert.match(e.message, /unknown database URL "mysql:\/\/x"/);
        assert.equal(e.expression, '--db');
        return true;
      },
    );
    assert.throws(() => parseDbUrl('sqlite:'), /needs a file path/);
    assert.throws(() => parseDbUrl('sqlite::memory:'), /needs a file path/);
  });
});
