/**
 * The download service of the open-data files (`annuaire serve`, /extractions) on a real loopback server, over a
 * folder published the way `annuaire extract` publishes (publish/extract/published-file.ts), with strangers
 * beside: a temporary file, a file without its checksum, an unrelated name.
 */
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { publishStream } from '../src/publish/extract/published-file.js';
import { byteRange } from '../src/http/extractions-routes.js';
import { serve, type Served } from './support/http.js';
import { sqliteStores, type TestStore } from './support/stores.js';

const OLD = 'PS_LibreAcces_202611010600.zip';
const NEW = 'PS_LibreAcces_202611020600.zip';
const DELTA = 'PS_LibreAcces_delta_202611010600_202611020600.csv';
const CPS = 'Porteurs_CPS_CPF_202611020600.zip';

const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

interface Listed {
  readonly name: string;
  readonly kind: string;
  readonly latestAs: string;
  readonly delta: boolean;
  readonly from?: string;
  readonly date: string;
  readonly size: number;
  readonly sha256: string;
  readonly url: string;
}

describe('GET /extractions', () => {
  let dir: string;
  let store: TestStore;
  let server: Served;
  const content = new Map<string, Buffer>();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'annuaire-extractions-'));
    content.set(OLD, randomBytes(5000));
    content.set(NEW, randomBytes(7000));
    content.set(DELTA, Buffer.from('kind,key,change,field,old,new\nprofessional,810000000001,added,,,\n'));
    content.set(CPS, randomBytes(300));
    for (const [name, bytes] of content) {
      await publishStream(dir, name, Readable.from([bytes]));
    }
    // Never offered: a newer extract without its checksum (being published), a temporary file, strangers.
    writeFileSync(join(dir, 'PS_LibreAcces_202611030600.zip'), 'half written');
    writeFileSync(join(dir, '.PS_LibreAcces_202611030600.zip.1.tmp'), 'half written');
    writeFileSync(join(dir, 'notes.txt'), 'private');
    store = await sqliteStores();
    server = await serve(store.store, { extractions: { dir } });
  });
  after(async () => {
    await server?.close();
    await store?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (path: string, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(server.origin + path, { headers });

  it('lists the published files with date, size and sha256, deltas marked, nothing else', async () => {
    const res = await get('/extractions');
    assert.equal(res.status, 200);
    const { files } = (await res.json()) as { files: Listed[] };
    assert.deepEqual(files.map((f) => f.name).sort(), [CPS, DELTA, OLD, NEW].sort());
    for (const f of files) {
      const bytes = content.get(f.name)!;
      assert.equal(f.size, bytes.length, f.name);
      assert.equal(f.sha256, sha256(bytes), f.name);
      assert.equal(f.url, `${server.origin}/extractions/${f.name}`);
    }
    const byName = new Map(files.map((f) => [f.name, f]));
    assert.deepEqual(
      { ...byName.get(DELTA)!, url: undefined, size: undefined, sha256: undefined },
      {
        name: DELTA,
        kind: 'PS_LibreAcces',
        latestAs: 'PS_LibreAcces_delta.csv',
        delta: true,
        from: '202611010600',
        stamp: '202611020600',
        date: '2026-11-02T06:00:00Z',
        url: undefined,
        size: undefined,
        sha256: undefined,
      },
    );
    assert.equal(byName.get(OLD)!.delta, false);
    assert.equal(byName.get(OLD)!.date, '2026-11-01T06:00:00Z');
    assert.equal(byName.get(NEW)!.latestAs, 'PS_LibreAcces.zip');
  });

  it('serves the newest file of a kind by its undated name, and an older one by its dated name', async () => {
    const latest = await get('/extractions/PS_LibreAcces.zip');
    assert.equal(latest.status, 200);
    assert.deepEqual(Buffer.from(await latest.arrayBuffer()), content.get(NEW));
    assert.equal(latest.headers.get('content-type'), 'application/zip');
    assert.equal(latest.headers.get('content-disposition'), `attachment; filename="${NEW}"`);
    assert.equal(latest.headers.get('etag'), `"${sha256(content.get(NEW)!)}"`);
    assert.equal(latest.headers.get('cache-control'), 'no-cache');
    assert.equal(latest.headers.get('accept-ranges'), 'bytes');
    assert.equal(latest.headers.get('content-encoding'), null);
    assert.match(latest.headers.get('access-control-expose-headers')!, /Content-Range/);

    const old = await get(`/extractions/${OLD}`);
    assert.equal(old.status, 200);
    assert.deepEqual(Buffer.from(await old.arrayBuffer()), content.get(OLD));
    assert.equal(old.headers.get('etag'), `"${sha256(content.get(OLD)!)}"`);
    assert.equal(old.headers.get('last-modified'), new Date(statSync(join(dir, OLD)).mtime).toUTCString());

    const delta = await get('/extractions/PS_LibreAcces_delta.csv');
    assert.equal(delta.status, 200);
    assert.equal(delta.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.equal(await delta.text(), content.get(DELTA)!.toString());
  });

  it('answers 304 to If-None-Match with the ETag, and to If-Modified-Since', async () => {
    const first = await get(`/extractions/${NEW}`);
    await first.arrayBuffer();
    const etag = first.headers.get('etag')!;
    const cached = await get(`/extractions/${NEW}`, { 'if-none-match': etag });
    assert.equal(cached.status, 304);
    assert.equal(await cached.text(), '');
    assert.equal(cached.headers.get('etag'), etag);
    // The undated name too, while the newest file is still that one.
    assert.equal((await get('/extractions/PS_LibreAcces.zip', { 'if-none-match': etag })).status, 304);
    // Another file's ETag: the whole file.
    const other = await get('/extractions/PS_LibreAcces.zip', {
      'if-none-match': `"${sha256(content.get(OLD)!)}"`,
    });
    assert.equal(other.status, 200);
    assert.equal((await other.arrayBuffer()).byteLength, content.get(NEW)!.length);
    const since = await get(`/extractions/${NEW}`, {
      'if-modified-since': first.headers.get('last-modified')!,
    });
    assert.equal(since.status, 304);
    const before = await get(`/extractions/${NEW}`, { 'if-modified-since': 'Sat, 01 Jan 2000 00:00:00 GMT' });
    assert.equal(before.status, 200);
    await before.arrayBuffer();
  });

  it('serves a byte range with 206 and exactly those bytes; 416 past the end', async () => {
    const bytes = content.get(NEW)!;
    const part = await get(`/extractions/${NEW}`, { range: 'bytes=100-1099' });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), `bytes 100-1099/${bytes.length}`);
    assert.equal(part.headers.get('content-length'), '1000');
    assert.deepEqual(Buffer.from(await part.arrayBuffer()), bytes.subarray(100, 1100));

    const open = await get(`/extractions/${NEW}`, { range: 'bytes=6990-' });
    assert.equal(open.status, 206);
    assert.deepEqual(Buffer.from(await open.arrayBuffer()), bytes.subarray(6990));
    const suffix = await get(`/extractions/${NEW}`, { range: 'bytes=-7' });
    assert.equal(
      suffix.headers.get('content-range'),
      `bytes ${bytes.length - 7}-${bytes.length - 1}/${bytes.length}`,
    );
    assert.deepEqual(Buffer.from(await suffix.arrayBuffer()), bytes.subarray(bytes.length - 7));

    // If-Range with the current ETag keeps the range; with another one, the whole (changed) file.
    const etag = `"${sha256(bytes)}"`;
    const kept = await get('/extractions/PS_LibreAcces.zip', { range: 'bytes=0-9', 'if-range': etag });
    assert.equal(kept.status, 206);
    assert.deepEqual(Buffer.from(await kept.arrayBuffer()), bytes.subarray(0, 10));
    const stale = await get('/extractions/PS_LibreAcces.zip', { range: 'bytes=0-9', 'if-range': '"stale"' });
    assert.equal(stale.status, 200);
    assert.equal((await stale.arrayBuffer()).byteLength, bytes.length);

    const past = await get(`/extractions/${NEW}`, { range: `bytes=${bytes.length}-` });
    assert.equal(past.status, 416);
    assert.equal(past.headers.get('content-range'), `bytes */${bytes.length}`);
    const outcome = (await past.json()) as { resourceType: string; issue: { diagnostics: string }[] };
    assert.equal(outcome.resourceType, 'OperationOutcome');
    assert.match(outcome.issue[0]!.diagnostics, /past the end/);
  });

  it('refuses any name that is not a published file: 404 OperationOutcome, nothing outside the folder', async () => {
    for (const path of [
      '/extractions/..%2F..%2Fetc%2Fpasswd',
      '/extractions/%2E%2E%2Fpackage.json',
      '/extractions/..%5C..%5Cpackage.json',
      `/extractions/${encodeURIComponent(`../${OLD}`)}`,
      `/extractions/${OLD}.sha256`,
      '/extractions/notes.txt',
      '/extractions/.PS_LibreAcces_202611030600.zip.1.tmp',
      // Written, but its checksum is not: not published yet.
      '/extractions/PS_LibreAcces_202611030600.zip',
      '/extractions/Extraction_Correspondance_MSSante.zip',
      '/extractions/PS_LibreAcces_202611010600.ZIP',
    ]) {
      const res = await get(path);
      assert.equal(res.status, 404, path);
      const outcome = (await res.json()) as { resourceType: string; issue: { code: string }[] };
      assert.equal(outcome.resourceType, 'OperationOutcome', path);
      assert.equal(outcome.issue[0]!.code, 'not-found', path);
    }
  });
});

describe('byteRange', () => {
  it('reads single ranges as RFC 9110 §14.1.2 defines them', () => {
    const cases: [string | undefined, number, ReturnType<typeof byteRange>][] = [
      [undefined, 10, undefined],
      ['bytes=0-0', 10, { start: 0, end: 0 }],
      ['bytes=2-', 10, { start: 2, end: 9 }],
      ['bytes=2-100', 10, { start: 2, end: 9 }],
      ['bytes=-3', 10, { start: 7, end: 9 }],
      ['bytes=-30', 10, { start: 0, end: 9 }],
      ['bytes=10-', 10, 'unsatisfiable'],
      ['bytes=-0', 10, 'unsatisfiable'],
      ['bytes=0-', 0, 'unsatisfiable'],
      ['bytes=5-2', 10, undefined],
      ['bytes=0-1,4-5', 10, undefined],
      ['items=0-1', 10, undefined],
      ['bytes=-', 10, undefined],
    ];
    for (const [header, size, expected] of cases) {
      assert.deepEqual(byteRange(header, size), expected, `${header} of ${size}`);
    }
  });
});
