/**
 * `npm run bench [-- NAME…]`: runs the benchmarks (all by default) and prints each figure beside its
 * baseline. Sizes and engines come from the environment (BENCH_N, BENCH_ENGINES=sqlite,postgres).
 */
import { tuneHeapForBulkWork } from '../src/heap-tuning.js';
import { apiBenchmark } from './api.js';
import { bulkWrite } from './bulk-write.js';
import { extractDiff } from './diff.js';
import { bulkExport } from './export.js';
import { nationalImport } from './import.js';
import { report, type Benchmark } from './harness.js';

const BENCHMARKS: readonly Benchmark[] = [bulkWrite, nationalImport, apiBenchmark, extractDiff, bulkExport];

// As the `annuaire` command runs (src/main.ts).
tuneHeapForBulkWork();

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !BENCHMARKS.some((b) => b.name === w));
if (unknown.length > 0) {
  process.stderr.write(
    `bench: unknown benchmark ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}\n`,
  );
  process.exit(2);
}
for (const bench of BENCHMARKS.filter((b) => wanted.length === 0 || wanted.includes(b.name))) {
  process.stdout.write(`== ${bench.name}: ${bench.description}\n`);
  for (const c of await bench.run((line) => process.stdout.write(line + '\n'))) {
    process.stdout.write(report(c) + '\n');
  }
}
