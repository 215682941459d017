/**
 * Bulk write of N Practitioner-shaped resources through the Store (versions, current pointers and index rows,
 * one release), beside a bare insert of the same JSON texts into a one-column table with the same driver.
 * N = BENCH_N (default 1,000,000). The PostgreSQL half runs when the server answers.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { composeSystem } from '../src/main.js';
import type { Resource, Store } from '../src/store/store.js';
import { fmt, Stopwatch, withPostgresSchema, type Benchmark, type Comparison } from './harness.js';
import { benchPractitioner } from './practitioners.js';

/** Resources per put() call: the batch size the importer uses. */
const BATCH = 1000;

function* batches(n: number): Generator<Resource[]> {
  for (let start = 0; start < n; start += BATCH) {
    yield Array.from({ length: Math.min(BATCH, n - start) }, (_, k) => benchPractitioner(start + k));
  }
}

async function storeWrite(store: Store, n: number, log: (l: string) => void): Promise<number> {
  const watch = new Stopwatch();
  const writer = await watch.time(() => store.beginRelease({ source: 'bench bulk-write' }));
  let done = 0;
  // Two batches in flight, as the importer does: the next batch is serialized and indexed while the previous
  // one is written (ReleaseWriter.put).
  let inFlight: Promise<unknown> | undefined;
  for (const batch of batches(n)) {
    await watch.time(async () => {
      const put = writer.put(batch);
      await inFlight;
      inFlight = put;
    });
    done += batch.length;
    if (done % 200_000 === 0) {
      log(`    ${fmt(done)} written (${watch.seconds.toFixed(1)} s)`);
    }
  }
  await watch.time(async () => {
    await inFlight;
    await writer.commit();
  });
  return watch.seconds;
}

async function sqliteBaseline(path: string, n: number): Promise<number> {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE bare (json TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO bare (json) VALUES (?)');
  const watch = new Stopwatch();
  db.exec('BEGIN');
  for (const batch of batches(n)) {
    await watch.time(() => {
      for (const r of batch) {
        insert.run(JSON.stringify(r));
      }
    });
  }
  await watch.time(() => db.exec('COMMIT'));
  db.close();
  return watch.seconds;
}

async function postgresBaseline(url: string, schema: string, n: number): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`CREATE TABLE ${schema}.bare (json text NOT NULL)`);
  const watch = new Stopwatch();
  await client.query('BEGIN');
  for (const batch of batches(n)) {
    await watch.time(() =>
      client.query(`INSERT INTO ${schema}.bare (json) SELECT unnest($1::text[])`, [
        batch.map((r) => JSON.stringify(r)),
      ]),
    );
  }
  await watch.time(() => client.query('COMMIT'));
  await client.end();
  return watch.seconds;
}

async function indexRows(store: Store): Promise<string> {
  const info = await store.info();
  return `${fmt(info.counts['Practitioner']?.total ?? 0)} Practitioner stored`;
}

function compare(
  engine: string,
  n: number,
  storeSeconds: number,
  baseSeconds: number,
  note: string,
): Comparison {
  return {
    name: `bulk write, ${engine}, ${fmt(n)} Practitioner resources`,
    subject: {
      label: 'store (versions + index rows, one release)',
      value: n / storeSeconds,
      unit: `resources/s (${storeSeconds.toFixed(1)} s)`,
    },
    baseline: {
      label: 'bare insert of the same JSON texts',
      value: n / baseSeconds,
      unit: `rows/s (${baseSeconds.toFixed(1)} s)`,
    },
    ratio: storeSeconds / baseSeconds,
    ratioMeaning: 'store time / bare-insert time; lower is better',
    notes: [note],
  };
}

export const bulkWrite: Benchmark = {
  name: 'bulk-write',
  description: 'bulk write of Practitioner resources vs bare JSON insert, SQLite and PostgreSQL',
  async run(log) {
    const n = Number(process.env['BENCH_N'] ?? 1_000_000);
    const engines = (process.env['BENCH_ENGINES'] ?? 'sqlite,postgres').split(',');
    const results: Comparison[] = [];
    const system = composeSystem();

    const dir = mkdtempSync(join(tmpdir(), 'annuaire-bench-'));
    try {
      if (engines.includes('sqlite')) {
        log(`  sqlite: store write of ${fmt(n)}…`);
        const store = await system.openStore(`sqlite:${join(dir, 'store.db')}`);
        await store.migrate();
        const storeSeconds = await storeWrite(store, n, log);
        const note = await indexRows(store);
        await store.close();
        log('  sqlite: bare insert…');
        const baseSeconds = await sqliteBaseline(join(dir, 'bare.db'), n);
        results.push(compare('sqlite', n, storeSeconds, baseSeconds, note));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    if (!engines.includes('postgres')) {
      return results;
    }
    results.push(
      ...(await withPostgresSchema('bench', log, async (pgBase, schema) => {
        log(`  postgres: store write of ${fmt(n)}…`);
        const store = await system.openStore(`${pgBase}?schema=${schema}`);
        await store.migrate();
        const storeSeconds = await storeWrite(store, n, log);
        const note = await indexRows(store);
        await store.close();
        log('  postgres: bare insert…');
        const baseSeconds = await postgresBaseline(pgBase, schema, n);
        return [compare('postgres', n, storeSeconds, baseSeconds, note)];
      })),
    );
    return results;
  },
};
