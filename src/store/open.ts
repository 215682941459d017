/**
 * Opens a store for a `--db` URL. Only the composition root calls this: everything else receives the Store.
 */
import type { Indexer, Store } from './store.js';
import { parseDbUrl } from './db-url.js';
import { SqlStore } from './sql/sql-store.js';
import { SqliteEngine } from './sqlite/sqlite-engine.js';
import { PostgresEngine } from './postgres/postgres-engine.js';
import { loadClassifier, type ClassifierRef } from './sql/classifier.js';

/** `classifier`: what every version written is classified by, its answer stored with it (sql/classifier.ts). */
export async function openStore(url: string, indexer: Indexer, classifier?: ClassifierRef): Promise<Store> {
  const location = parseDbUrl(url);
  const classify = await loadClassifier(classifier);
  const loaded = classifier && classify ? { ref: classifier, classify } : undefined;
  const engine =
    location.engine === 'sqlite'
      ? new SqliteEngine(location.path, loaded)
      : await PostgresEngine.connect(location.url, classify);
  return new SqlStore(engine, indexer);
}
