/** Small key/value facts about the store itself (indexer version, purge horizon), in table store_meta. */
import type { SqlRunner } from './engine.js';

export async function readMeta(db: SqlRunner, key: string): Promise<string | undefined> {
  return (await db.get<{ value: string }>('SELECT value FROM store_meta WHERE key = ?', [key]))?.value;
}

export async function writeMeta(db: SqlRunner, key: string, value: string): Promise<void> {
  await db.run(
    'INSERT INTO store_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    [key, value],
  );
}
