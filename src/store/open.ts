/**
 * Opens a store for a `--db` URL. Only the composition root calls this: everything else receives the Store.
 */
import type { Indexer, Store } from './store.js';
import { parseDbUrl } from './db-url.js';
import { SqlStore } from './sql/sql-store.js';
import { SqliteEngine } from './sqlite/sqlite-engine.js';
import { PostgresEngine } from './postgres/postgres-engine.js';

export async function openStore(url: string, indexer: Indexer): Promise<Store> {
  const location = parseDbUrl(url);
  const engine =
    location.engine === 'sqlite'
      ? new SqliteEngine(location.path)
      : await PostgresEngine.connect(location.url);
  return new SqlStore(engine, indexer);
}
