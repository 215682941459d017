/**
 * Bulk Data $export (issue 5, point 4): the generated dataset (BENCH_SCALE, default 0.1) imported once into a
 * SQLite store kept under bench/out, served by `annuaire serve` in its own process; a system-level $export is
 * kicked off over HTTP and polled until its manifest. Measured: resources written per second (kick-off to
 * manifest) and the server's peak RSS (VmHWM) against its RSS before the export. Baseline, in the same run:
 * `cat` of the very NDJSON files produced (same bytes) to /dev/null. Target: ≥ 100,000 resources/s in
 * constant memory. Two perimeters: a key with restricted+historized (text as stored) and no key (public: the
 * texts that may hold restricted elements are parsed and cut).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { annuaire, BIN, dataset, NODE_FLAGS } from './command.js';
import { fmt, timed, type Benchmark, type Comparison } from './harness.js';
import { cpuOf, memoryOf, startServe, stop } from './server-process.js';

const ROOT = join(import.meta.dirname, '..', '..');
const OUT = join(ROOT, 'bench', 'out');

/** A key for the stored store: the store's code (a schema or mapping change means a new import). */
function storeKey(scale: number): string {
  const hash = createHash('sha256').update(String(scale));
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, e.name);
      if (e.isDirectory()) {
        walk(path);
      } else if (path.endsWith('.ts') && !path.endsWith('.test.ts')) {
        hash.update(relative(ROOT, path)).update(readFileSync(path));
      }
    }
  };
  for (const part of ['store', 'reconcile', 'sources']) {
    walk(join(ROOT, 'src', part));
  }
  return hash.digest('hex').slice(0, 16);
}

function sqliteStore(scale: number, log: (l: string) => void): string {
  const dir = join(OUT, `export-sqlite-s${scale}`);
  const key = storeKey(scale);
  if (existsSync(join(dir, 'key')) && readFileSync(join(dir, 'key'), 'utf8') === key) {
    log(`  store of scale ${scale} reused (${dir})`);
    return `sqlite:${join(dir, 'store.db')}`;
  }
  const files = dataset(scale, 0, log);
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  log(`  importing scale ${scale}…`);
  const run = annuaire(['import', '--db', `sqlite:${join(partial, 'store.db')}`, ...files]);
  log(`    ${run.seconds.toFixed(1)} s`);
  writeFileSync(join(partial, 'key'), key);
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  return `sqlite:${join(dir, 'store.db')}`;
}

interface Manifest {
  output: { type: string; url: string; count: number }[];
}

/** Kick-off to manifest; returns the manifest (polled every 20 ms, not Retry-After: this is a measure). */
async function runExport(base: string, headers: Record<string, string>): Promise<Manifest> {
  const kick = await fetch(`${base}/$export`, { headers: { prefer: 'respond-async', ...headers } });
  if (kick.status !== 202) {
    throw new Error(`kick-off: ${kick.status} ${await kick.text()}`);
  }
  await kick.arrayBuffer();
  const status = kick.headers.get('content-location')!;
  for (;;) {
    const r = await fetch(status, { headers });
    if (r.status === 200) {
      return (await r.json()) as Manifest;
    }
    if (r.status !== 202) {
      throw new Error(`status: ${r.status} ${await r.text()}`);
    }
    await r.arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** `cat` of the files to /dev/null, the smaller of two runs. */
function catTime(files: readonly string[]): number {
  let best = Infinity;
  for (let i = 0; i < 2; i++) {
    const started = performance.now();
    const r = spawnSync('sh', ['-c', 'cat "$@" > /dev/null', 'cat', ...files]);
    if (r.status !== 0) {
      throw new Error(`cat failed: ${String(r.stderr)}`);
    }
    best = Math.min(best, (performance.now() - started) / 1000);
  }
  return best;
}

export const bulkExport: Benchmark = {
  name: 'export',
  description: 'FHIR Bulk Data $export through annuaire serve, vs cat of the same NDJSON bytes',
  async run(log) {
    const scale = Number(process.env['BENCH_SCALE'] ?? 0.1);
    const db = sqliteStore(scale, log);
    const keys = annuaire([
      'keys',
      'create',
      '--db',
      db,
      '--scope',
      'restricted,historized',
      '--name',
      'bench',
    ]);
    const secret = /secret: (\S+)/.exec(keys.stdout)?.[1];
    if (!secret) {
      throw new Error(`no secret in: ${keys.stdout}`);
    }
    const exportDir = join(OUT, 'export-jobs');
    rmSync(exportDir, { recursive: true, force: true });
    const server = await startServe(NODE_FLAGS, BIN, db, ['--export-dir', exportDir]);
    const results: Comparison[] = [];
    try {
      const idle = memoryOf(server.process.pid!);
      log(`  server pid ${server.process.pid ?? '?'}, RSS before the exports ${fmt(idle.now)} MB`);
      for (const [perimeter, headers] of [
        ['restricted+historized key (text as stored)', { 'ESANTE-API-KEY': secret }],
        ['no key (public perimeter, restricted elements cut)', {}],
      ] as const) {
        log(`  $export, ${perimeter}…`);
        const cpu0 = cpuOf(server.process.pid!);
        const [manifest, seconds] = await timed(() => runExport(server.base, headers));
        const cpu = cpuOf(server.process.pid!) - cpu0;
        const memory = memoryOf(server.process.pid!);
        const resources = manifest.output.reduce((n, o) => n + o.count, 0);
        const files = manifest.output.map((o) => {
          const [, job, file] = /\$export-files\/([^/]+)\/([^/]+)$/.exec(o.url)!;
          return join(exportDir, job!, file!);
        });
        const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
        const cat = catTime(files);
        log(
          `    ${seconds.toFixed(2)} s, ${fmt(resources)} resources, ${fmt(bytes / 1e6)} MB; cat ${cat.toFixed(3)} s`,
        );
        results.push({
          name: `$export, scale ${scale}, ${perimeter}`,
          subject: {
            label: 'annuaire $export (kick-off to manifest)',
            value: resources / seconds,
            unit: 'resources/s',
          },
          baseline: {
            label: 'cat of the same NDJSON files to /dev/null',
            value: resources / cat,
            unit: 'resources/s',
          },
          ratio: seconds / cat,
          ratioMeaning: 'export time / cat time (lower is better)',
          notes: [
            `${fmt(resources)} resources, ${fmt(bytes / 1e6, 1)} MB in ${manifest.output.length} files; export ${seconds.toFixed(2)} s, cat ${cat.toFixed(3)} s`,
            `target ≥ 100,000 resources/s: ${resources / seconds >= 100_000 ? 'met' : 'NOT MET'}`,
            `server CPU time ${cpu.toFixed(2)} s (user + system): ${fmt(resources / cpu)} resources per CPU-second (what a free core would give; the load average was ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]})`,
            `server RSS: before ${fmt(idle.now)} MB, peak so far ${fmt(memory.peak)} MB, after ${fmt(memory.now)} MB`,
          ],
        });
      }
    } finally {
      await stop(server);
      rmSync(exportDir, { recursive: true, force: true });
    }
    return results;
  },
};
