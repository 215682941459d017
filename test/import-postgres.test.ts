import { describe, it } from 'node:test';
import { importContract } from './import-contract.js';
import { PG_BASE, postgresAvailable, postgresStores } from './support/stores.js';

if (await postgresAvailable()) {
  importContract('postgres', postgresStores);
} else {
  describe('Import of national files on postgres', () => {
    it(`SKIPPED: PostgreSQL does not answer at ${PG_BASE} (set ANNUAIRE_TEST_PG, or run it locally)`, (t) => {
      t.skip('PostgreSQL half skipped');
    });
  });
}
