/**
 * Issue 5's "done when": a scripted client (plain fetch) mirrors the directory. It runs a full $export of the
 * day-0 dataset and loads the NDJSON into its own map; the day-1 dataset is then imported into the server's
 * store; the client asks `_history?_since=<the export's transactionTime>`, follows the `next` links and applies
 * the delta (the newest version of each resource wins; deactivations and deletions included). Its mirror must
 * then be exactly the server's state: every current resource of every type, read through the API, JSON-equal.
 *
 * The client holds a key with both the restricted and historized scopes: the widest perimeter, so the mirror
 * holds everything the directory holds (inactive resources in full), and the server's state is read through
 * the API with the same key. Runs on SQLite and on PostgreSQL.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { RESOURCE_TYPES } from '../src/fhir/search/search-parameters.js';
import { composeSystem } from '../src/main.js';
import { createKey, serve, type Served } from './support/http.js';
import { onPostgres, sqliteStores, type StoreFactory, type TestStore } from './support/stores.js';
import { importGeneratedDay } from './support/generated.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Resource {
  resourceType: string;
  id: string;
  active?: boolean;
  meta?: { versionId?: string };
}
interface Bundle {
  link?: { relation: string; url: string }[];
  entry?: { resource?: Resource; request: { method: string; url: string } }[];
}

/** The client: what a publisher's script does, with nothing but fetch. */
class MirrorClient {
  readonly mirror = new Map<string, Resource>();
  constructor(
    readonly base: string,
    readonly headers: Record<string, string>,
  ) {}

  async #json<T>(
    url: string,
    init: RequestInit = {},
  ): Promise<{ status: number; body: T; response: Response }> {
    const response = await fetch(url, { ...init, headers: { ...this.headers, ...(init.headers ?? {}) } });
    const text = await response.text();
    return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T, response };
  }

  /** A full $export into the mirror; returns its transactionTime. */
  async fullExport(): Promise<string> {
    const kick = await this.#json(`${this.base}/$export`, { headers: { prefer: 'respond-async' } });
    assert.equal(kick.status, 202, JSON.stringify(kick.body));
    const status = kick.response.headers.get('content-location')!;
    let manifest: { transactionTime: string; output: { type: string; url: string; count: number }[] };
    for (;;) {
      const poll = await this.#json<typeof manifest>(status);
      if (poll.status === 200) {
        manifest = poll.body;
        break;
      }
      assert.equal(poll.status, 202, JSON.stringify(poll.body));
      await sleep(Math.min(100, Number(poll.response.headers.get('retry-after')) * 1000));
    }
    for (const file of manifest.output) {
      const r = await fetch(file.url, { headers: { ...this.headers, accept: 'application/fhir+ndjson' } });
      assert.equal(r.status, 200);
      const lines = (await r.text()).split('\n').filter((l) => l !== '');
      assert.equal(lines.length, file.count);
      for (const line of lines) {
        const resource = JSON.parse(line) as Resource;
        assert.equal(resource.resourceType, file.type);
        this.mirror.set(`${resource.resourceType}/${resource.id}`, resource);
      }
    }
    // The job is done with: its files are removed.
    assert.equal((await this.#json(status, { method: 'DELETE' })).status, 202);
    return manifest.transactionTime;
  }

  /** Applies the change feed since an instant; returns what it applied. */
  async applyChanges(
    since: string,
  ): Promise<{ entries: number; applied: number; deactivated: number; deleted: number }> {
    const seen = new Set<string>();
    let url: string | undefined = `${this.base}/_history?_since=${encodeURIComponent(since)}&_count=200`;
    const tally = { entries: 0, applied: 0, deactivated: 0, deleted: 0 };
    while (url !== undefined) {
      const page: { status: number; body: Bundle } = await this.#json<Bundle>(url);
      assert.equal(page.status, 200);
      for (const entry of page.body.entry ?? []) {
        tally.entries++;
        const key = entry.resource
          ? `${entry.resource.resourceType}/${entry.resource.id}`
          : entry.request.url;
        // Newest first: the first version seen of a resource is its latest.
        if (seen.has(key)) {
          continue;
        }
        seen.add(key);
        tally.applied++;
        if (entry.request.method === 'DELETE') {
          this.mirror.delete(key);
          tally.deleted++;
        } else {
          this.mirror.set(key, entry.resource!);
          if (entry.resource!.active === false) {
            tally.deactivated++;
          }
        }
      }
      url = page.body.link?.find((l) => l.relation === 'next')?.url;
    }
    return tally;
  }

  /** The server's current resources of a type, by search pages. */
  async current(type: string): Promise<Resource[]> {
    const out: Resource[] = [];
    let url: string | undefined = `${this.base}/${type}?_count=1000`;
    while (url !== undefined) {
      const page: { status: number; body: Bundle } = await this.#json<Bundle>(url);
      assert.equal(page.status, 200);
      out.push(...(page.body.entry ?? []).map((e) => e.resource!).filter((r) => r.resourceType === type));
      url = page.body.link?.find((l) => l.relation === 'next')?.url;
    }
    return out;
  }

  async read(key: string): Promise<Resource> {
    const r = await this.#json<Resource>(`${this.base}/${key}`);
    assert.equal(r.status, 200, key);
    return r.body;
  }
}

function bulkClient(engine: string, factory: StoreFactory): void {
  describe(`a bulk client mirrors the directory on ${engine}`, () => {
    const system = composeSystem();
    const root = mkdtempSync(join(tmpdir(), 'annuaire-bulk-client-'));
    let t: TestStore;
    let s: Served;

    const importDay = (day: number): Promise<void> => importGeneratedDay(t.store, root, day, 5);

    before(async () => {
      t = await factory();
      await importDay(0);
      s = await serve(t.store, system.http(t.store, { exportDir: join(root, 'exports') }));
    });
    after(async () => {
      await s?.close();
      await t?.dispose();
      rmSync(root, { recursive: true, force: true });
    });

    it('$export, then the day+1 import, then _history?_since: the mirror is exactly the server state', async () => {
      const key = await createKey(t.store, ['restricted', 'historized']);
      const client = new MirrorClient(`${s.origin}/fhir`, { 'ESANTE-API-KEY': key.secret });
      const transactionTime = await client.fullExport();
      const exported = new Map(client.mirror);
      assert.ok(exported.size > 0);

      await importDay(1);
      const delta = await client.applyChanges(transactionTime);
      // The day-1 dataset adds, changes and removes professionals: the delta must carry deactivations.
      assert.ok(delta.applied > 0 && delta.deactivated > 0, JSON.stringify(delta));

      // The server's state, read through the API: every current resource of every type.
      const server = new Map<string, Resource>();
      for (const type of RESOURCE_TYPES) {
        for (const r of await client.current(type)) {
          assert.ok(!server.has(`${type}/${r.id}`), `${type}/${r.id} listed once`);
          server.set(`${type}/${r.id}`, r);
        }
      }
      // The listing is the whole store (search lists inactive resources too).
      const counts = (await t.store.info()).counts;
      assert.equal(
        server.size,
        Object.values(counts).reduce((n, c) => n + c.total, 0),
      );
      assert.ok([...server.values()].some((r) => r.active === false));

      const missing = [...server.keys()].filter((k) => !client.mirror.has(k));
      const extra = [...client.mirror.keys()].filter((k) => !server.has(k));
      assert.deepEqual({ missing, extra }, { missing: [], extra: [] });
      const different = [...server]
        .filter(([k, r]) => !isDeepStrictEqual(client.mirror.get(k), r))
        .map(([k]) => k);
      assert.deepEqual(different, []);
      // Reads agree with the listing (a sample), and the delta did change the mirror.
      for (const k of [...server.keys()].filter((_, i) => i % 25 === 0)) {
        assert.deepEqual(await client.read(k), client.mirror.get(k));
      }
      const changed = [...server].filter(([k, r]) => !isDeepStrictEqual(exported.get(k), r));
      assert.ok(changed.length > 0);
    });
  });
}

bulkClient('sqlite', sqliteStores);
await onPostgres('bulk client', (f) => bulkClient('postgres', f));
