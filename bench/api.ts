/**
 * The FHIR API at national scale (issue 4, point 9): the generated dataset (BENCH_SCALE, default 1) imported
 * once into a store kept under bench/out, served by `annuaire serve` in its own process, and loaded on
 * loopback by autocannon. Targets:
 * - read by id ≥ 60% of the throughput of a bare Node HTTP server answering the same bytes and headers,
 *   measured in the same run, with p99 < 5 ms;
 * - ten searches, each p95 < 20 ms (values picked from the data, each must find something);
 * - a walk of every Practitioner by `next` links with _count=1000 in < 3 minutes (each id once, count = total);
 * - the server's peak RSS (VmHWM) < 500 MB.
 * BENCH_SECONDS (default 5) per measure; BENCH_ENGINES (default sqlite,postgres); PostgreSQL is imported at
 * BENCH_PG_SCALE (default 0.2) when BENCH_SCALE is larger: its import is ~10× slower than SQLite's here.
 * BENCH_CPU_PROF=1 writes a CPU profile of the server to bench/out/prof. BENCH_API_STORE=PATH serves that SQLite
 * store as it is (its data of BENCH_SCALE), without the key check or an import.
 */
import autocannon from 'autocannon';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import pg from 'pg';
import { fold } from '../src/fhir/search/fold.js';
import { fmt, timed, type Benchmark, type Comparison } from './harness.js';
import { annuaire, BIN, dataset, NODE_FLAGS } from './command.js';
import { memoryOf, start, startServe, stop } from './server-process.js';

const ROOT = join(import.meta.dirname, '..', '..');
const OUT = join(ROOT, 'bench', 'out');
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5);
/** Reads are a throughput measure: enough connections to keep both servers busy. */
const READ_CONNECTIONS = 8;
/** Searches are a latency measure: a few clients at once. */
const SEARCH_CONNECTIONS = 2;
/** The walk stops after this long (BENCH_WALK_LIMIT, s): past twice its target, the rest is projected. */
const WALK_LIMIT = Number(process.env['BENCH_WALK_LIMIT'] ?? 360);
/** Pages of 1,000 Organizations read to pick a city and a postcode. */
const ORGANIZATION_PAGES = 30;
/** Fewer answers than this in a run and a search is timed one request at a time instead. */
const MIN_SAMPLES = 5;
const RPPS = 'urn:oid:1.2.250.1.71.4.2.1';
const G15 = 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante';

type Json = Record<string, unknown>;
type Log = (line: string) => void;

/**
 * What the stored data depends on: every source file but the read side (HTTP, interactions, search planning
 * and SQL), which can change without a new import. A store imported under another key is imported again.
 */
function storeKey(): string {
  const readSide = [
    'src/http/',
    'src/cli/',
    'src/fhir/interactions/',
    'src/fhir/search/plan.ts',
    'src/fhir/search/parse.ts',
    'src/fhir/search/page-token.ts',
    'src/store/sql/search-sql.ts',
  ];
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, e.name);
      const rel = relative(ROOT, path);
      if (e.isDirectory()) {
        walk(path);
      } else if (
        rel.endsWith('.ts') &&
        !rel.endsWith('.test.ts') &&
        !readSide.some((r) => rel.startsWith(r))
      ) {
        hash.update(rel).update(readFileSync(path));
      }
    }
  };
  walk(join(ROOT, 'src'));
  return hash.digest('hex').slice(0, 16);
}

/** The SQLite store of a scale, imported once per store key. */
function sqliteStore(scale: number, key: string, log: Log): string {
  const dir = join(OUT, `api-sqlite-s${scale}`);
  const url = `sqlite:${join(dir, 'store.db')}`;
  if (existsSync(join(dir, 'key')) && readFileSync(join(dir, 'key'), 'utf8') === key) {
    log(`  sqlite: store of scale ${scale} reused (${dir}, key ${key})`);
    return url;
  }
  const files = dataset(scale, 0, log);
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  log(`  sqlite: importing scale ${scale}…`);
  const run = annuaire(['import', '--db', `sqlite:${join(partial, 'store.db')}`, ...files]);
  log(`    ${run.seconds.toFixed(1)} s; ${run.stdout.trim().split('\n').pop() ?? ''}`);
  writeFileSync(join(partial, 'key'), key);
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  return url;
}

/** The PostgreSQL store of a scale, in a schema kept between runs, imported once per store key. */
async function postgresStore(scale: number, key: string, log: Log): Promise<string | undefined> {
  const base = process.env['ANNUAIRE_BENCH_PG'] ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `bench_api_s${String(scale).replace('.', '_')}`;
  const keyFile = join(OUT, `api-postgres-s${scale}.key`);
  const admin = new pg.Client({ connectionString: base, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch {
    log(`  postgres: SKIPPED, no server at ${base}`);
    return undefined;
  }
  try {
    const url = `${base}?schema=${schema}`;
    const exists = await admin.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [
      schema,
    ]);
    if (exists.rowCount === 1 && existsSync(keyFile) && readFileSync(keyFile, 'utf8') === key) {
      log(`  postgres: store of scale ${scale} reused (schema ${schema}, key ${key})`);
      return url;
    }
    rmSync(keyFile, { force: true });
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    const files = dataset(scale, 0, log);
    log(`  postgres: importing scale ${scale}…`);
    const run = annuaire(['import', '--db', url, ...files]);
    log(`    ${run.seconds.toFixed(1)} s; ${run.stdout.trim().split('\n').pop() ?? ''}`);
    writeFileSync(keyFile, key);
    return url;
  } finally {
    await admin.end();
  }
}

async function getJson(url: string): Promise<Json> {
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
  }
  return (await response.json()) as Json;
}

interface Load {
  readonly rps: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly requests: number;
  /** Too slow for the run: timed one at a time. */
  readonly sequential: boolean;
}

/**
 * autocannon on `paths` (taken in turn) for SECONDS; latencies from every response, not autocannon's buckets.
 * A search slower than the run gets too few answers to have a p95: then it is timed alone, MIN_SAMPLES times.
 */
async function load(origin: string, paths: readonly string[], connections: number): Promise<Load> {
  let i = 0;
  const times: number[] = [];
  const instance = autocannon({
    url: origin,
    connections,
    duration: SECONDS,
    timeout: 120,
    requests: [{ setupRequest: (request) => ({ ...request, path: paths[i++ % paths.length]! }) }],
  });
  instance.on('response', (_client, _status, _bytes, ms) => {
    times.push(ms);
  });
  const result = await instance;
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${origin}${paths[0]}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  }
  let rps = times.length / result.duration;
  let sequential = false;
  if (times.length < MIN_SAMPLES) {
    sequential = true;
    times.length = 0;
    const started = performance.now();
    for (let k = 0; k < MIN_SAMPLES; k++) {
      const t = performance.now();
      await (await fetch(`${origin}${paths[k % paths.length]!}`)).arrayBuffer();
      times.push(performance.now() - t);
    }
    rps = MIN_SAMPLES / ((performance.now() - started) / 1000);
  }
  times.sort((a, b) => a - b);
  const at = (q: number): number => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? NaN;
  return { rps, p50: at(0.5), p95: at(0.95), p99: at(0.99), requests: times.length, sequential };
}

interface Walk {
  readonly seconds: number;
  readonly pages: number;
  readonly total: number;
  readonly ids: number;
  readonly repeated: number;
  readonly complete: boolean;
}

/**
 * Follows `next` links from `url` to the end, handing each page's resources to `seen`; stops early after
 * `maxSeconds` or `maxPages` (then `complete` is false).
 */
async function walk(
  url: string,
  seen: (resource: Json) => void,
  maxSeconds = Infinity,
  maxPages = Infinity,
): Promise<Walk> {
  const ids = new Set<string>();
  let repeated = 0;
  let pages = 0;
  let total = -1;
  let complete = true;
  const started = performance.now();
  const [, seconds] = await timed(async () => {
    let next: string | undefined = url;
    while (next !== undefined) {
      if ((performance.now() - started) / 1000 > maxSeconds || pages >= maxPages) {
        complete = false;
        break;
      }
      const bundle = await getJson(next);
      pages += 1;
      total = (bundle['total'] as number | undefined) ?? total;
      for (const e of (bundle['entry'] as { resource: Json }[] | undefined) ?? []) {
        const id = e.resource['id'] as string;
        if (ids.has(id)) {
          repeated += 1;
        }
        ids.add(id);
        seen(e.resource);
      }
      next = (bundle['link'] as { relation: string; url: string }[]).find((l) => l.relation === 'next')?.url;
    }
  });
  return { seconds, pages, total, ids: ids.size, repeated, complete };
}

const increment = (m: Map<string, number>, k: string): void => {
  m.set(k, (m.get(k) ?? 0) + 1);
};
const top = (
  m: Map<string, number>,
  ok: (k: string, n: number) => boolean = () => true,
): [string, number] => {
  let best: [string, number] = ['', 0];
  for (const [k, n] of m) {
    if (n > best[1] && ok(k, n)) {
      best = [k, n];
    }
  }
  if (best[1] === 0) {
    throw new Error('no value fits in the data');
  }
  return best;
};

/** What the Practitioner walk learns of the data, to pick real values for the searches. */
class PractitionerSample {
  readonly families = new Map<string, number>();
  readonly ids: string[] = [];
  n = 0;
  see(r: Json): void {
    this.n += 1;
    // Every 97th: spread over the whole table, a set too large to be one cached page.
    if (this.n % 97 === 0) {
      this.ids.push(r['id'] as string);
    }
    const family = (r['name'] as { family?: string }[] | undefined)?.[0]?.family;
    if (family) {
      increment(this.families, family);
    }
  }
}

/**
 * Organizations per city and per postcode in the first pages of Organizations (ids carry no geography). Cities
 * are counted folded (`Paris` and `PARIS` are one city, as `address-city` matches them), and postcodes per city.
 */
class OrganizationSample {
  readonly cities = new Map<string, number>();
  readonly postcodes = new Map<string, Map<string, number>>();
  see(r: Json): void {
    for (const a of (r['address'] as { city?: string; postalCode?: string }[] | undefined) ?? []) {
      if (a.city) {
        const city = fold(a.city);
        increment(this.cities, city);
        if (a.postalCode) {
          const of = this.postcodes.get(city) ?? new Map<string, number>();
          increment(of, a.postalCode);
          this.postcodes.set(city, of);
        }
      }
    }
  }
}

interface Query {
  readonly name: string;
  readonly path: string;
}

async function pickQueries(
  base: string,
  practitioners: PractitionerSample,
  organizations: OrganizationSample,
  log: Log,
): Promise<Query[]> {
  const prefixes = new Map<string, number>();
  for (const [f, n] of practitioners.families) {
    // Letters only: `LE GALL` gives no prefix (a space ends a word, not a prefix a user types).
    const p = fold(f).slice(0, 3);
    if (/^[a-z]{3}$/.test(p)) {
      prefixes.set(p, (prefixes.get(p) ?? 0) + n);
    }
  }
  const [prefix] = top(prefixes);
  const [accented] = top(practitioners.families, (f) => fold(f) !== f.toLowerCase());
  const [contained] = top(practitioners.families, (f) => f.length >= 6);
  // The city with the most organizations (a chain is a join: it takes any number), and its most common postcode.
  const [city] = top(organizations.cities);
  const orgs = (
    await getJson(`${base}/Organization?address-city=${encodeURIComponent(city)}&_summary=count`)
  )['total'] as number;
  const [postcode] = top(organizations.postcodes.get(city) ?? new Map<string, number>());
  log(`  city: ${city} (${fmt(orgs)} organizations); postcode ${postcode}`);
  // The organization of that city with the most roles, among its first 1,000 roles by id: a spread sample
  // (in the chain's natural order, the first 1,000 are the roles of its first organizations).
  const roles = await getJson(
    `${base}/PractitionerRole?organization.address-city=${encodeURIComponent(city)}&_count=1000&_elements=organization&_sort=_id`,
  );
  const perOrg = new Map<string, number>();
  for (const e of (roles['entry'] as { resource: Json }[] | undefined) ?? []) {
    increment(perOrg, (e.resource['organization'] as { reference: string }).reference);
  }
  const [organization, n] = top(perOrg);
  log(`  organization: ${organization} (${n} roles)`);
  const q = (name: string, path: string): Query => ({ name, path });
  const enc = encodeURIComponent;
  return [
    q('1. identifier', `/fhir/Practitioner?identifier=${enc(`${RPPS}|${practitioners.ids[0]!}`)}`),
    q('2. family prefix', `/fhir/Practitioner?family=${enc(prefix)}`),
    q('3. accent-folded name', `/fhir/Practitioner?name=${enc(fold(accented))}`),
    q('4. :contains', `/fhir/Practitioner?family:contains=${enc(fold(contained).slice(1, 5))}`),
    q(
      '5. profession + city',
      `/fhir/PractitionerRole?role=${enc(`${G15}|10`)}&organization.address-city=${enc(city)}`,
    ),
    q(
      '6. roles of an organization + _include',
      `/fhir/PractitionerRole?organization=${enc(organization)}&_include=PractitionerRole:practitioner`,
    ),
    q('7. chain organization.address-city', `/fhir/PractitionerRole?organization.address-city=${enc(city)}`),
    q('8. _has', `/fhir/Practitioner?_has:PractitionerRole:practitioner:organization=${enc(organization)}`),
    q(
      '9. _revinclude',
      `/fhir/Organization?address-postalcode=${enc(postcode)}&_revinclude=PractitionerRole:organization`,
    ),
    q(
      '10. _summary=count, all Médecins',
      `/fhir/Practitioner?qualification-code=${enc(`${G15}|10`)}&_summary=count`,
    ),
  ];
}

const mark = (ok: boolean): string => (ok ? 'met' : 'NOT MET');

async function measure(engine: string, scale: number, url: string, log: Log): Promise<Comparison[]> {
  const profile = process.env['BENCH_CPU_PROF'] === '1';
  const profDir = join(OUT, 'prof');
  const flags = profile ? [...NODE_FLAGS, '--cpu-prof', `--cpu-prof-dir=${profDir}`] : NODE_FLAGS;
  const server = await startServe(flags, BIN, url);
  const base = server.base;
  const origin = base.slice(0, -'/fhir'.length);
  try {
    log(`  ${engine}: server pid ${server.process.pid ?? '?'} at ${base}`);
    // The walk first: it is a target, and it shows the data the searches are picked from.
    const practitioners = new PractitionerSample();
    const w = await walk(`${base}/Practitioner?_count=1000`, (r) => practitioners.see(r), WALK_LIMIT);
    const walkOk = w.complete && w.seconds < 180 && w.ids === w.total && w.repeated === 0;
    const walkLine = w.complete
      ? `${w.seconds.toFixed(1)} s, ${fmt(w.pages)} pages, ${fmt(w.ids)} ids, total ${fmt(w.total)}, ` +
        `${w.repeated} repeated (target < 180 s, count = total, none repeated: ${mark(walkOk)})`
      : `stopped after ${w.seconds.toFixed(1)} s (BENCH_WALK_LIMIT) at ${fmt(w.ids)} of ${fmt(w.total)} ids ` +
        `(${fmt(w.pages)} pages, ${w.repeated} repeated): the whole walk would take ~${fmt((w.seconds * w.total) / w.ids)} s ` +
        `at that pace (target < 180 s: ${mark(false)})`;
    log(`  walk of all Practitioners, _count=1000: ${walkLine}`);
    const organizations = new OrganizationSample();
    const ow = await walk(
      `${base}/Organization?_count=1000&_elements=address`,
      (r) => organizations.see(r),
      Infinity,
      ORGANIZATION_PAGES,
    );
    log(
      `  first ${ow.pages} pages of Organizations (_elements=address, to pick values): ${ow.seconds.toFixed(1)} s, ${fmt(ow.ids)} ids`,
    );

    // Reads: a spread of ids, against the bare server answering one stored read's bytes and headers.
    const readPaths = practitioners.ids.map((id) => `/fhir/Practitioner/${id}`);
    const sample = await fetch(`${origin}${readPaths[0]!}`);
    const headers: Record<string, string> = {};
    sample.headers.forEach((v, k) => {
      if (!['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'].includes(k)) {
        headers[k] = v;
      }
    });
    const body = await sample.text();
    const file = join(OUT, `api-bare-${process.pid}.json`);
    writeFileSync(file, JSON.stringify({ headers, body }));
    const bare = await start(
      [join(import.meta.dirname, 'bare-server.js'), file],
      /bare server at (http:\/\/[\d.]+:\d+)\//,
    );
    let bareLoad: Load;
    try {
      bareLoad = await load(bare.base, ['/'], READ_CONNECTIONS);
    } finally {
      await stop(bare);
      rmSync(file, { force: true });
    }
    const reads = await load(origin, readPaths, READ_CONNECTIONS);
    const ratio = reads.rps / bareLoad.rps;
    log(
      `  reads: ${fmt(readPaths.length)} ids in turn, ${READ_CONNECTIONS} connections, ${SECONDS} s each; ` +
        `body ${fmt(Buffer.byteLength(body))} bytes, ${Object.keys(headers).length} headers`,
    );

    // Searches.
    const queries = await pickQueries(base, practitioners, organizations, log);
    const lines: string[] = [];
    let worst = 0;
    for (const query of queries) {
      const bundle = await getJson(`${origin}${query.path}`);
      const hits = (bundle['total'] as number | undefined) ?? 0;
      const entries = ((bundle['entry'] as unknown[] | undefined) ?? []).length;
      if (hits === 0) {
        throw new Error(`${query.name} finds nothing: ${query.path}`);
      }
      const l = await load(origin, [query.path], SEARCH_CONNECTIONS);
      worst = Math.max(worst, l.p95);
      const line =
        `${query.name}: p95 ${l.p95.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms, ${fmt(l.rps, l.rps < 10 ? 1 : 0)} req/s, ` +
        `${l.requests} requests${l.sequential ? ' one at a time (too slow for the run)' : ''} ` +
        `(target p95 < 20 ms: ${mark(l.p95 < 20)}); total ${fmt(hits)}, ${entries} entries on the first page\n      ${query.path}`;
      log(`  ${line}`);
      lines.push(line);
    }
    const memory = memoryOf(server.process.pid!);
    log(
      `  server RSS: peak ${fmt(memory.peak)} MB, now ${fmt(memory.now)} MB (target peak < 500 MB: ${mark(memory.peak < 500)})`,
    );
    return [
      {
        name: `API read by id, ${engine}, scale ${scale}`,
        subject: { label: 'annuaire serve, GET /fhir/Practitioner/{id}', value: reads.rps, unit: 'req/s' },
        baseline: {
          label: 'bare node:http server, same bytes and headers',
          value: bareLoad.rps,
          unit: 'req/s',
        },
        ratio,
        ratioMeaning: `API throughput / bare throughput; target ≥ 0.60: ${mark(ratio >= 0.6)}`,
        notes: [
          `read latency p50 ${reads.p50.toFixed(2)} ms, p95 ${reads.p95.toFixed(2)} ms, p99 ${reads.p99.toFixed(2)} ms (target p99 < 5 ms: ${mark(reads.p99 < 5)})`,
          `bare latency p50 ${bareLoad.p50.toFixed(2)} ms, p95 ${bareLoad.p95.toFixed(2)} ms, p99 ${bareLoad.p99.toFixed(2)} ms: the machine's noise floor in this run`,
        ],
      },
      {
        name: `API searches, ${engine}, scale ${scale} (${SEARCH_CONNECTIONS} connections, ${SECONDS} s each)`,
        subject: { label: 'slowest search p95', value: worst, unit: 'ms' },
        baseline: { label: 'read by id p95, same run', value: reads.p95, unit: 'ms' },
        ratio: worst / reads.p95,
        ratioMeaning: 'slowest search p95 / read p95; target: each search p95 < 20 ms',
        notes: [
          ...lines,
          `walk of all Practitioners: ${walkLine}`,
          `server peak RSS ${fmt(memory.peak)} MB (target < 500 MB: ${mark(memory.peak < 500)})`,
        ],
      },
    ];
  } finally {
    await stop(server);
  }
}

export const apiBenchmark: Benchmark = {
  name: 'api',
  description:
    'the FHIR API on the generated dataset: reads vs a bare node:http server, searches, a full walk, RSS',
  async run(log) {
    const scale = Number(process.env['BENCH_SCALE'] ?? 1);
    const engines = (process.env['BENCH_ENGINES'] ?? 'sqlite,postgres').split(',');
    const key = storeKey();
    const results: Comparison[] = [];
    if (engines.includes('sqlite')) {
      // BENCH_API_STORE: a SQLite store of that scale to serve as it is (no key check, no import).
      const given = process.env['BENCH_API_STORE'];
      if (given !== undefined) {
        log(`  sqlite: serving ${given} as it is (BENCH_API_STORE)`);
      }
      const url = given !== undefined ? `sqlite:${given}` : sqliteStore(scale, key, log);
      results.push(...(await measure('sqlite', scale, url, log)));
    }
    if (engines.includes('postgres')) {
      const pgScale = Math.min(scale, Number(process.env['BENCH_PG_SCALE'] ?? 0.2));
      if (pgScale < scale) {
        log(
          `  postgres: measured at scale ${pgScale}, not ${scale}: its import is too slow here (637 s at 0.2)`,
        );
      }
      const url = await postgresStore(pgScale, key, log);
      if (url !== undefined) {
        results.push(...(await measure('postgres', pgScale, url, log)));
      }
    }
    return results;
  },
};
