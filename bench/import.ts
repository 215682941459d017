/**
 * National import: the generated dataset (BENCH_SCALE, default 1) imported by `annuaire import` into a fresh
 * store, then its day+1 re-imported, beside a raw baseline measured in the same run — the same files read and
 * decoded, their lines split, and the raw fields inserted into a bare table with the same driver. Each import
 * runs as the real command in its own process, so its peak RSS is its own (/usr/bin/time).
 * Targets (issue 3): full import ≤ 3× the raw baseline; day+1 ≤ 25% of the full import; peak RSS ≤ 1.5 GB.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { lineReader } from '../src/sources/input/lines.js';
import { openInputs } from '../src/sources/input/open-inputs.js';
import { fmt, Stopwatch, withPostgresSchema, type Benchmark, type Comparison } from './harness.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'annuaire.js');
/** The flags bin/annuaire.js's first line gives the command (scripts/node-flags.js). */
const NODE_FLAGS = ['--max-old-space-size=768', '--max-semi-space-size=32'];

interface Run {
  readonly seconds: number;
  readonly maxRssMb?: number;
  readonly stdout: string;
}

/** Runs the command, timed by /usr/bin/time when the machine has it (wall time and peak RSS). */
function annuaire(args: readonly string[]): Run {
  const time = existsSync('/usr/bin/time');
  const started = performance.now();
  const r = time
    ? spawnSync('/usr/bin/time', ['-f', 'TIME %e %M', process.execPath, ...NODE_FLAGS, BIN, ...args], {
        encoding: 'utf8',
      })
    : spawnSync(process.execPath, [...NODE_FLAGS, BIN, ...args], { encoding: 'utf8' });
  const seconds = (performance.now() - started) / 1000;
  if (r.status !== 0) {
    throw new Error(`annuaire ${args.join(' ')} failed: ${r.stderr}`);
  }
  const m = /TIME ([\d.]+) (\d+)/.exec(r.stderr);
  return { seconds, ...(m ? { maxRssMb: Number(m[2]) / 1024 } : {}), stdout: r.stdout };
}

/** The dataset of a day, generated once and kept under bench/out (deterministic for a seed). */
function dataset(scale: number, day: number, log: (l: string) => void): string[] {
  const dir = join(import.meta.dirname, '..', '..', 'bench', 'out', `dataset-s${scale}-d${day}`);
  if (!existsSync(join(dir, '.complete'))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    log(`  generating scale ${scale}, day ${day}…`);
    const g = annuaire([
      'generate',
      '--out',
      dir,
      '--scale',
      String(scale),
      '--seed',
      '1',
      '--day',
      String(day),
    ]);
    log(`    ${g.seconds.toFixed(1)} s`);
    spawnSync('touch', [join(dir, '.complete')]);
  }
  return readdirSync(dir)
    .filter((f) => !f.startsWith('.'))
    .map((f) => join(dir, f));
}

type RawSink = (file: number, fields: string[][]) => Promise<void> | void;

/** Reads every file as the importer does (zip entries, decoding, lines) and hands the split lines to `sink`. */
async function readRaw(paths: readonly string[], sink: RawSink): Promise<number> {
  const inputs = await openInputs(paths);
  let lines = 0;
  try {
    for (const [i, file] of inputs.files.entries()) {
      const sep = file.name.endsWith('.csv') ? ';' : '|';
      await lineReader(file).read(async (batch) => {
        lines += batch.length;
        await sink(
          i,
          batch.map((l) => l.text.split(sep)),
        );
      });
    }
  } finally {
    inputs.close();
  }
  return lines;
}

async function sqliteRaw(paths: readonly string[], path: string): Promise<number> {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE raw (file INTEGER, fields TEXT)');
  const insert = db.prepare('INSERT INTO raw (file, fields) VALUES (?, ?)');
  const watch = new Stopwatch();
  await watch.time(async () => {
    db.exec('BEGIN');
    await readRaw(paths, (file, rows) => {
      for (const f of rows) {
        insert.run(file, JSON.stringify(f));
      }
    });
    db.exec('COMMIT');
  });
  db.close();
  return watch.seconds;
}

async function postgresRaw(paths: readonly string[], url: string, schema: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`CREATE TABLE ${schema}.raw (file int, fields jsonb)`);
  const watch = new Stopwatch();
  await watch.time(async () => {
    await client.query('BEGIN');
    await readRaw(paths, (file, rows) =>
      client
        .query(`INSERT INTO ${schema}.raw (file, fields) SELECT $1, unnest($2::jsonb[])`, [
          file,
          rows.map((f) => JSON.stringify(f)),
        ])
        .then(() => undefined),
    );
    await client.query('COMMIT');
  });
  await client.end();
  return watch.seconds;
}

function comparisons(engine: string, full: Run, day1: Run, raw: number): Comparison[] {
  const rss = Math.max(full.maxRssMb ?? 0, day1.maxRssMb ?? 0);
  return [
    {
      name: `national import, ${engine}`,
      subject: { label: 'full import (annuaire import)', value: full.seconds, unit: 's' },
      baseline: { label: 'raw: read, split, insert fields in a bare table', value: raw, unit: 's' },
      ratio: full.seconds / raw,
      ratioMeaning: 'import time / raw time; target ≤ 3',
      notes: [
        full.stdout.trim().split('\n').pop() ?? '',
        rss > 0
          ? `peak RSS ${fmt(rss)} MB (target ≤ 1,536)`
          : 'peak RSS not measured (/usr/bin/time missing)',
      ],
    },
    {
      name: `day+1 re-import, ${engine}`,
      subject: { label: 're-import of the next day', value: day1.seconds, unit: 's' },
      baseline: { label: 'full import', value: full.seconds, unit: 's' },
      ratio: day1.seconds / full.seconds,
      ratioMeaning: 're-import time / full import time; target ≤ 0.25',
      notes: [day1.stdout.trim().split('\n').pop() ?? ''],
    },
  ];
}

export const nationalImport: Benchmark = {
  name: 'import',
  description: 'national import of the generated dataset and its day+1, vs a raw read-split-insert baseline',
  async run(log) {
    const scale = Number(process.env['BENCH_SCALE'] ?? 1);
    const engines = (process.env['BENCH_ENGINES'] ?? 'sqlite,postgres').split(',');
    const day0 = dataset(scale, 0, log);
    const day1 = dataset(scale, 1, log);
    const results: Comparison[] = [];
    const dir = join(tmpdir(), `annuaire-bench-import-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    try {
      if (engines.includes('sqlite')) {
        const db = `sqlite:${join(dir, 'store.db')}`;
        log('  sqlite: full import…');
        const full = annuaire(['import', '--db', db, ...day0]);
        log(`    ${full.seconds.toFixed(1)} s`);
        log('  sqlite: day+1…');
        const next = annuaire(['import', '--db', db, ...day1]);
        log(`    ${next.seconds.toFixed(1)} s`);
        rmSync(join(dir, 'store.db'), { force: true });
        log('  sqlite: raw baseline…');
        const raw = await sqliteRaw(day0, join(dir, 'raw.db'));
        results.push(...comparisons('sqlite', full, next, raw));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    if (!engines.includes('postgres')) {
      return results;
    }
    results.push(
      ...(await withPostgresSchema('bench_import', log, async (pgBase, schema) => {
        const db = `${pgBase}?schema=${schema}`;
        log('  postgres: full import…');
        const full = annuaire(['import', '--db', db, ...day0]);
        log(`    ${full.seconds.toFixed(1)} s`);
        log('  postgres: day+1…');
        const next = annuaire(['import', '--db', db, ...day1]);
        log(`    ${next.seconds.toFixed(1)} s`);
        log('  postgres: raw baseline…');
        const raw = await postgresRaw(day0, pgBase, schema);
        return comparisons('postgres', full, next, raw);
      })),
    );
    return results;
  },
};
