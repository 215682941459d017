import { describe, it } from 'node:test';
import { fhirApiContract } from './fhir-api-contract.js';
import { PG_BASE, postgresAvailable, postgresStores } from './support/stores.js';

if (await postgresAvailable()) {
  fhirApiContract('postgres', postgresStores);
} else {
  describe('FHIR API on postgres', () => {
    it(`SKIPPED: PostgreSQL does not answer at ${PG_BASE} (set ANNUAIRE_TEST_PG, or run it locally)`, (t) => {
      t.skip('PostgreSQL half skipped');
    });
  });
}
