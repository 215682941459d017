/**
 * Real stores for tests: SQLite files in a temporary folder, and PostgreSQL schemas in the local server's
 * `test` database (127.0.0.1:5432, trust auth). Each store is fresh and is removed afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import pg from 'pg';
import { composeSystem } from '../../src/main.js';
import type { Store } from '../../src/store/store.js';

export interface TestStore {
  readonly store: Store;
  readonly url: string;
  /** Opens a second, independent store on the same data (another "process"). */
  readonly reopen: () => Promise<Store>;
  readonly dispose: () => Promise<void>;
}

export type StoreFactory = () => Promise<TestStore>;

export const PG_BASE = process.env['ANNUAIRE_TEST_PG'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export const sqliteStores: StoreFactory = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'annuaire-test-'));
  const url = `sqlite:${join(dir, 'annuaire.db')}`;
  const system = composeSystem();
  const store = await system.openStore(url);
  await store.migrate();
  return {
    store,
    url,
    reopen: () => system.openStore(url),
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

let schemas = 0;

export const postgresStores: StoreFactory = async () => {
  const schema = `t_${process.pid}_${Date.now().toString(36)}_${++schemas}`;
  const url = `${PG_BASE}?schema=${schema}`;
  const system = composeSystem();
  const store = await system.openStore(url);
  await store.migrate();
  return {
    store,
    url,
    reopen: () => system.openStore(url),
    dispose: async () => {
      await store.close();
      const client = new pg.Client({ connectionString: PG_BASE });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    },
  };
};

/**
 * Whether PostgreSQL answers. In CI (CI=true) or with ANNUAIRE_REQUIRE_PG=1 an unreachable server is a failure,
 * never a skip.
 */
export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_BASE, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch (e) {
    if (process.env['CI'] === 'true' || process.env['ANNUAIRE_REQUIRE_PG'] === '1') {
      throw new Error(`PostgreSQL is required here but ${PG_BASE} does not answer: ${(e as Error).message}`);
    }
    return false;
  }
}

/**
 * Runs a suite on PostgreSQL, or says plainly that it was skipped when the server does not answer (the README's
 * test command must never skip it silently; CI always has it).
 */
export async function onPostgres(title: string, suite: (factory: StoreFactory) => void): Promise<void> {
  if (await postgresAvailable()) {
    suite(postgresStores);
    return;
  }
  describe(`${title} on postgres`, () => {
    it(`SKIPPED: PostgreSQL does not answer at ${PG_BASE} (set ANNUAIRE_TEST_PG, or run it locally)`, (t) => {
      t.skip('PostgreSQL half skipped');
    });
  });
}
