/**
 * FHIR Bulk Data $export over a real loopback port, on a SQLite store holding a small generated dataset: the
 * async pattern (kick-off, status, manifest, files, DELETE), _type, _since, _outputFormat, the perimeter of the
 * key (each exported line is what a read through the API answers with the same key), the snapshot of a job
 * while a release commits, expiry, and _history retention. https://hl7.org/fhir/uv/bulkdata/export.html
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { composeSystem } from '../src/main.js';
import { BulkExporter } from '../src/publish/export/bulk-exporter.js';
import type { Resource, Store } from '../src/store/store.js';
import { createKey, serve, type Served } from './support/http.js';
import { importGeneratedDay } from './support/generated.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Manifest {
  transactionTime: string;
  request: string;
  requiresAccessToken: boolean;
  output: { type: string; url: string; count: number }[];
  error: unknown[];
}
type Headers = Record<string, string>;

/** Kick-off: returns the status URL. */
async function kickOff(url: string, headers: Headers = {}): Promise<string> {
  const r = await fetch(url, {
    headers: { prefer: 'respond-async', accept: 'application/fhir+json', ...headers },
  });
  assert.equal(r.status, 202, await r.clone().text());
  await r.arrayBuffer();
  const status = r.headers.get('content-location');
  assert.ok(status, 'Content-Location');
  return status;
}

/** Polls until the manifest (asserting the 202s carry X-Progress and Retry-After); returns it and the 202 seen. */
async function poll(status: string, headers: Headers = {}): Promise<{ manifest: Manifest; waits: number }> {
  for (let waits = 0; ; waits++) {
    const r = await fetch(status, { headers });
    if (r.status === 200) {
      assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
      assert.ok(r.headers.get('expires'));
      return { manifest: (await r.json()) as Manifest, waits };
    }
    if (r.status !== 202) {
      assert.fail(`status ${r.status}: ${await r.text()}`);
    }
    assert.match(r.headers.get('x-progress') ?? '', /\d+% \(\d+ of \d+ resources read\)/);
    assert.ok(Number(r.headers.get('retry-after')) > 0);
    await r.arrayBuffer();
    await sleep(20);
  }
}

async function lines(url: string, headers: Headers = {}): Promise<string[]> {
  const r = await fetch(url, { headers: { accept: 'application/fhir+ndjson', ...headers } });
  assert.equal(r.status, 200, url);
  assert.match(r.headers.get('content-type') ?? '', /^application\/fhir\+ndjson/);
  const text = await r.text();
  assert.ok(text.endsWith('\n'));
  return text.slice(0, -1).split('\n');
}

async function exportAll(
  url: string,
  headers: Headers = {},
): Promise<{ manifest: Manifest; files: Map<string, string[]> }> {
  const { manifest } = await poll(await kickOff(url, headers), headers);
  const files = new Map<string, string[]>();
  for (const o of manifest.output) {
    files.set(o.type, [...(files.get(o.type) ?? []), ...(await lines(o.url, headers))]);
  }
  return { manifest, files };
}

async function outcomeOf(r: Response): Promise<{ code: string; expression?: string[]; diagnostics: string }> {
  const o = (await r.json()) as {
    resourceType: string;
    issue: { code: string; diagnostics: string; expression?: string[] }[];
  };
  assert.equal(o.resourceType, 'OperationOutcome');
  return o.issue[0]!;
}

describe('FHIR Bulk Data $export', () => {
  const system = composeSystem();
  const root = mkdtempSync(join(tmpdir(), 'annuaire-export-'));
  const exportDir = join(root, 'exports');
  let store: Store;
  let s: Served;
  let full: Headers;
  let restrictedOnly: Headers;
  let other: Headers;
  let counts: Record<string, { total: number; active: number }>;

  before(async () => {
    store = await system.openStore(`sqlite:${join(root, 'annuaire.db')}`);
    await store.migrate();
    await importGeneratedDay(store, root, 0, 11);
    s = await serve(store, system.http(store, { exportDir }));
    full = { 'ESANTE-API-KEY': (await createKey(store, ['restricted', 'historized'])).secret };
    restrictedOnly = { 'ESANTE-API-KEY': (await createKey(store, ['restricted'])).secret };
    other = { 'ESANTE-API-KEY': (await createKey(store, ['restricted', 'historized'])).secret };
    counts = { ...(await store.info()).counts };
  });
  after(async () => {
    await s?.close();
    await store?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('lists $export in the CapabilityStatement', async () => {
    const cs = (await (await fetch(`${s.origin}/fhir/metadata`)).json()) as {
      rest: {
        operation?: { name: string; definition: string }[];
        resource: { type: string; operation?: { name: string }[] }[];
      }[];
    };
    assert.equal(cs.rest[0]?.operation?.[0]?.name, 'export');
    assert.ok(
      cs.rest[0]?.resource
        .find((r) => r.type === 'Practitioner')
        ?.operation?.some((o) => o.name === 'export'),
    );
  });

  it('refuses a kick-off without Prefer: respond-async, or with a bad _outputFormat, _type or _since', async () => {
    const noPrefer = await fetch(`${s.origin}/fhir/$export`);
    assert.equal(noPrefer.status, 400);
    assert.deepEqual((await outcomeOf(noPrefer)).expression, ['Prefer']);
    const bad: [string, string][] = [
      ['_outputFormat=text/csv', '_outputFormat'],
      ['_type=Patient', '_type'],
      ['_type=Practitioner,', '_type'],
      ['_since=yesterday', '_since'],
      ['_since=2026-01-01', '_since'],
      ['_typeFilter=Practitioner%3Factive%3Dtrue', '_typeFilter'],
    ];
    for (const [query, expression] of bad) {
      const r = await fetch(`${s.origin}/fhir/$export?${query}`, { headers: { prefer: 'respond-async' } });
      assert.equal(r.status, 400, query);
      assert.deepEqual((await outcomeOf(r)).expression, [expression], query);
    }
    const typeLevel = await fetch(`${s.origin}/fhir/Organization/$export?_type=Practitioner`, {
      headers: { prefer: 'respond-async' },
    });
    assert.equal(typeLevel.status, 400);
    const unknownType = await fetch(`${s.origin}/fhir/Patient/$export`, {
      headers: { prefer: 'respond-async' },
    });
    assert.equal(unknownType.status, 404);
    for (const format of ['application/fhir+ndjson', 'application/ndjson', 'ndjson']) {
      const status = await kickOff(
        `${s.origin}/fhir/Device/$export?_outputFormat=${encodeURIComponent(format)}`,
      );
      await poll(status);
    }
  });

  it('exports every current resource of every type, one file per type, as a read with the same key answers', async () => {
    const { manifest, files } = await exportAll(`${s.origin}/fhir/$export`, full);
    const release = await store.release(await store.currentRelease());
    assert.equal(manifest.transactionTime, release?.committedAt);
    assert.equal(manifest.request, `${s.origin}/fhir/$export`);
    assert.equal(manifest.requiresAccessToken, true);
    assert.deepEqual(manifest.error, []);
    const types = Object.keys(counts).filter((t) => counts[t]!.total > 0);
    assert.ok(
      types.includes('Practitioner') && types.includes('Organization') && types.includes('PractitionerRole'),
    );
    assert.deepEqual([...files.keys()].sort(), types.sort());
    for (const type of types) {
      const got = files.get(type)!;
      assert.equal(got.length, counts[type]!.total, type);
      assert.equal(
        manifest.output.filter((o) => o.type === type).reduce((n, o) => n + o.count, 0),
        got.length,
      );
      const ids = got.map((l) => (JSON.parse(l) as Resource).id);
      // Bulk Data sets no order; the store gives the change feed's (the order versions were written in).
      assert.equal(new Set(ids).size, ids.length, `${type}: each once`);
      assert.ok(got.every((l) => (JSON.parse(l) as Resource).resourceType === type));
    }
    // Each line is the resource as the API reads it with the same key (a sample of every type).
    for (const [type, got] of files) {
      for (const line of got.filter((_, i) => i % 7 === 0)) {
        const id = (JSON.parse(line) as Resource).id;
        const r = await fetch(`${s.origin}/fhir/${type}/${id}`, { headers: full });
        assert.deepEqual(JSON.parse(line), await r.json());
      }
    }
  });

  it('cuts the files to the perimeter of the key: public without one, restricted elements with the scope', async () => {
    const pub = await exportAll(`${s.origin}/fhir/Practitioner/$export`);
    const restricted = await exportAll(`${s.origin}/fhir/Practitioner/$export`, restrictedOnly);
    assert.equal(pub.manifest.requiresAccessToken, false);
    const pubLines = pub.files.get('Practitioner')!;
    const resLines = restricted.files.get('Practitioner')!;
    assert.equal(pubLines.length, counts['Practitioner']!.total);
    assert.equal(resLines.length, pubLines.length);
    // The restricted perimeter shows more of some practitioners (birth dates, correspondence addresses…).
    const differ = pubLines.filter((l, i) => l !== resLines[i]);
    assert.ok(differ.length > 0, 'some practitioners have restricted elements');
    for (const [lines2, headers] of [
      [pubLines, {}],
      [resLines, restrictedOnly],
    ] as const) {
      for (const line of lines2.filter((l, i) => i % 5 === 0 || differ.includes(l))) {
        const id = (JSON.parse(line) as Resource).id;
        const r = await fetch(`${s.origin}/fhir/Practitioner/${id}`, { headers });
        assert.deepEqual(JSON.parse(line), await r.json());
      }
    }
  });

  it('serves a job only to the key that started it', async () => {
    const status = await kickOff(`${s.origin}/fhir/Organization/$export`, full);
    const { manifest } = await poll(status, full);
    for (const headers of [{}, other, restrictedOnly]) {
      const r = await fetch(status, { headers });
      assert.equal(r.status, 403);
      assert.equal((await outcomeOf(r)).code, 'forbidden');
      const f = await fetch(manifest.output[0]!.url, { headers });
      assert.equal(f.status, 403);
      await f.arrayBuffer();
      const d = await fetch(status, { method: 'DELETE', headers });
      assert.equal(d.status, 403);
      await d.arrayBuffer();
    }
    const unknown = await fetch(`${s.origin}/fhir/$export-status/00000000-0000-4000-8000-000000000000`);
    assert.equal(unknown.status, 404);
    await unknown.arrayBuffer();
    const traversal = await fetch(`${manifest.output[0]!.url.replace(/[^/]+$/, '')}..%2Fjob.json`, {
      headers: full,
    });
    assert.equal(traversal.status, 404);
    await traversal.arrayBuffer();
  });

  it('exports the types _type names only', async () => {
    const { manifest } = await poll(
      await kickOff(`${s.origin}/fhir/$export?_type=Organization,Practitioner`),
    );
    assert.deepEqual([...new Set(manifest.output.map((o) => o.type))].sort(), [
      'Organization',
      'Practitioner',
    ]);
  });

  it('cancels a job on DELETE, removes its files, then answers 404', async () => {
    const status = await kickOff(`${s.origin}/fhir/$export`, full);
    const { manifest } = await poll(status, full);
    const id = status.split('/').pop()!;
    assert.ok(existsSync(join(exportDir, id)));
    const d = await fetch(status, { method: 'DELETE', headers: full });
    assert.equal(d.status, 202);
    await d.arrayBuffer();
    assert.ok(!existsSync(join(exportDir, id)));
    const again = await fetch(status, { headers: full });
    assert.equal(again.status, 404);
    await again.arrayBuffer();
    const file = await fetch(manifest.output[0]!.url, { headers: full });
    assert.equal(file.status, 404);
    await file.arrayBuffer();
  });

  it('cancels a running job, and keeps the snapshot of its release while another release commits', async () => {
    // A slow exporter (one resource per page), so the job is still running when the release commits.
    const slow = new BulkExporter({ store, dir: join(root, 'slow'), pageSize: 1 });
    const s2 = await serve(store, { ...system.http(store), bulkExport: slow });
    try {
      const before = await exportAll(`${s.origin}/fhir/$export`, full);
      const running = await kickOff(`${s2.origin}/fhir/$export`, full);
      const first = await fetch(running, { headers: full });
      assert.equal(first.status, 202);
      await first.arrayBuffer();
      const d = await fetch(running, { method: 'DELETE', headers: full });
      assert.equal(d.status, 202);
      await d.arrayBuffer();
      assert.equal((await fetch(running, { headers: full })).status, 404);
      assert.deepEqual(readdirSync(join(root, 'slow')), []);

      const status = await kickOff(`${s2.origin}/fhir/$export`, full);
      // A release changes the last Practitioner and Organization (the job reaches them last) and adds one.
      const w = await store.beginRelease({ source: 'concurrent' });
      const lastOf = (type: string): Resource => JSON.parse(before.files.get(type)!.at(-1)!) as Resource;
      const outcomes = await w.put([
        { ...lastOf('Practitioner'), name: [{ family: 'CHANGED MEANWHILE' }] },
        { ...lastOf('Organization'), alias: ['changed meanwhile'] },
        { ...lastOf('Organization'), id: 'Fzzzzzzzzz', identifier: [] },
      ]);
      assert.deepEqual(outcomes, ['changed', 'changed', 'added']);
      await w.commit();
      const mid = await fetch(status, { headers: full });
      assert.equal(mid.status, 202, 'the job still runs after the commit');
      await mid.arrayBuffer();
      const { manifest } = await poll(status, full);
      assert.equal(manifest.transactionTime, before.manifest.transactionTime);
      const files = new Map<string, string[]>();
      for (const o of manifest.output) {
        files.set(o.type, await lines(o.url, full));
      }
      assert.deepEqual(files, before.files);

      // _since: what changed after the first export, by the release that committed meanwhile.
      const since = await exportAll(
        `${s.origin}/fhir/$export?_since=${encodeURIComponent(before.manifest.transactionTime)}`,
        full,
      );
      const ids = [...since.files.values()].flat().map((l) => {
        const r = JSON.parse(l) as Resource;
        return `${r.resourceType}/${r.id}`;
      });
      assert.deepEqual(
        ids.sort(),
        [
          'Organization/Fzzzzzzzzz',
          `Organization/${lastOf('Organization').id}`,
          `Practitioner/${lastOf('Practitioner').id}`,
        ].sort(),
      );
    } finally {
      await s2.close();
    }
  });

  it('splits a type into several files past a size', async () => {
    const small = new BulkExporter({ store, dir: join(root, 'small'), pageSize: 50, maxFileBytes: 100_000 });
    const s5 = await serve(store, { ...system.http(store), bulkExport: small });
    try {
      const whole = await exportAll(`${s.origin}/fhir/Practitioner/$export`, full);
      const split = await poll(await kickOff(`${s5.origin}/fhir/Practitioner/$export`, full), full);
      const names = split.manifest.output.map((o) => o.url.split('/').pop());
      assert.ok(names.length > 2, names.join());
      assert.deepEqual(names.slice(0, 2), ['Practitioner.ndjson', 'Practitioner-2.ndjson']);
      const all: string[] = [];
      for (const o of split.manifest.output) {
        const got = await lines(o.url, full);
        assert.equal(got.length, o.count);
        all.push(...got);
      }
      assert.deepEqual(all, whole.files.get('Practitioner'));
    } finally {
      await s5.close();
    }
  });

  it('removes jobs past their time to live', async () => {
    let now = Date.now();
    const dir = join(root, 'ttl');
    const exporter = new BulkExporter({ store, dir, ttlMs: 60_000, now: () => now });
    const s3 = await serve(store, { ...system.http(store), bulkExport: exporter });
    try {
      const status = await kickOff(`${s3.origin}/fhir/Device/$export`);
      await poll(status);
      now += 61_000;
      const r = await fetch(status);
      assert.equal(r.status, 404);
      await r.arrayBuffer();
      assert.deepEqual(readdirSync(dir), []);
    } finally {
      await s3.close();
    }
  });

  it('refuses _history?_since older than the retention with 410, and serves it within', async () => {
    const s4 = await serve(store, system.http(store, { historyRetentionDays: 30 }));
    try {
      const old = await fetch(`${s4.origin}/fhir/_history?_since=2020-01-01T00:00:00Z`);
      assert.equal(old.status, 410);
      assert.deepEqual((await outcomeOf(old)).expression, ['_since']);
      const recent = new Date(Date.now() - 86_400_000).toISOString();
      const ok = await fetch(`${s4.origin}/fhir/Practitioner/_history?_since=${recent}`);
      assert.equal(ok.status, 200);
      await ok.arrayBuffer();
      // Without a retention, every change since the first release.
      const all = await fetch(`${s.origin}/fhir/_history?_since=2020-01-01T00:00:00Z`);
      assert.equal(all.status, 200);
      await all.arrayBuffer();
    } finally {
      await s4.close();
    }
  });
});
