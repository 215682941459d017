/**
 * Benchmark harness. Every figure is printed beside a baseline measured in the same run, with their ratio,
 * because these machines are noisy and an absolute number alone says little.
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';

export interface Measure {
  readonly label: string;
  readonly value: number;
  readonly unit: string;
}

export interface Comparison {
  readonly name: string;
  readonly subject: Measure;
  readonly baseline: Measure;
  /** How to read the ratio, e.g. "store time / baseline time (lower is better)". */
  readonly ratioMeaning: string;
  readonly ratio: number;
  readonly notes?: readonly string[];
}

export interface Benchmark {
  readonly name: string;
  readonly description: string;
  run(log: (line: string) => void): Promise<Comparison[]>;
}

/** Wall time of `work` in seconds. */
export async function timed<T>(work: () => Promise<T> | T): Promise<[T, number]> {
  const start = performance.now();
  const result = await work();
  return [result, (performance.now() - start) / 1000];
}

/** Accumulates time over many calls (to leave data generation out of a measure). */
export class Stopwatch {
  seconds = 0;
  async time<T>(work: () => Promise<T> | T): Promise<T> {
    const [result, s] = await timed(work);
    this.seconds += s;
    return result;
  }
}

export const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export function report(c: Comparison): string {
  return [
    `${c.name}`,
    `  ${c.subject.label}: ${fmt(c.subject.value, c.subject.value < 100 ? 2 : 0)} ${c.subject.unit}`,
    `  ${c.baseline.label}: ${fmt(c.baseline.value, c.baseline.value < 100 ? 2 : 0)} ${c.baseline.unit}`,
    `  ratio: ${c.ratio.toFixed(2)}  (${c.ratioMeaning})`,
    ...(c.notes ?? []).map((n) => `  ${n}`),
  ].join('\n');
}

/**
 * Runs `work` with a fresh PostgreSQL schema on the benchmark server (ANNUAIRE_BENCH_PG, default the local
 * `test` database), dropped afterwards; logs a skip and returns [] when no server answers.
 */
export async function withPostgresSchema<T>(
  prefix: string,
  log: (line: string) => void,
  work: (base: string, schema: string) => Promise<T[]>,
): Promise<T[]> {
  const base = process.env['ANNUAIRE_BENCH_PG'] ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `${prefix}_${process.pid}`;
  const admin = new pg.Client({ connectionString: base, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch {
    log(`  postgres: SKIPPED, no server at ${base}`);
    return [];
  }
  try {
    return await work(base, schema);
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
}
