/**
 * Versioned schema migrations, run by Kysely's Migrator (it keeps the applied list in kysely_migration and
 * takes a lock so two processes never migrate at once). The schema version is the number of applied
 * migrations.
 */
import { Migrator, sql, type Kysely, type Migration } from 'kysely';
import { AnnuaireError } from '../../error.js';
import { migrationsFor, type Dialect } from './schema.js';

export const latestSchemaVersion = (d: Dialect): number => Object.keys(migrationsFor(d)).length;

/** `schema`: the PostgreSQL schema the store lives in (undefined for SQLite). */
export async function migrate(
  db: Kysely<unknown>,
  d: Dialect,
  schema?: string,
): Promise<{ from: number; to: number }> {
  const from = await appliedMigrations(db, schema);
  const migrations: Record<string, Migration> = Object.fromEntries(
    Object.entries(migrationsFor(d)).map(([name, statements]) => [
      name,
      {
        up: async (tx: Kysely<unknown>): Promise<void> => {
          for (const s of statements) {
            await sql.raw(s).execute(tx);
          }
        },
      },
    ]),
  );
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new AnnuaireError(
      500,
      'exception',
      `schema migration ${failed} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`,
      undefined,
      {
        cause: error,
      },
    );
  }
  return { from, to: await appliedMigrations(db, schema) };
}

export async function appliedMigrations(db: Kysely<unknown>, schema?: string): Promise<number> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  if (!tables.some((t) => t.name === 'kysely_migration' && (schema === undefined || t.schema === schema))) {
    return 0;
  }
  const table = schema ? sql.id(schema, 'kysely_migration') : sql.id('kysely_migration');
  const { rows } = await sql<{ n: number | string }>`SELECT count(*) AS n FROM ${table}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}
