/**
 * The FHIR API end to end, driven by an external client (fhir-kit-client) over a real port: a SQLite store with
 * a small generated dataset imported twice (day 0, then day 1, so some resources have two versions), the app
 * built as the composition root builds it. Search, paging both ways, read, vread, history, errors.
 * https://hl7.org/fhir/R4/http.html
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Client } from 'fhir-kit-client';
import { fold } from '../src/fhir/search/fold.js';
import { newSecret } from '../src/http/api-key.js';
import { buildApp } from '../src/http/app.js';
import { composeSystem } from '../src/main.js';
import type { Store } from '../src/store/store.js';
import { importGeneratedDay } from './support/generated.js';

/** As fhir-kit-client types its answers. */
interface FhirResource extends Record<string, unknown> {
  resourceType: string;
}
interface Link {
  relation: string;
  url: string;
}
interface Entry {
  fullUrl?: string;
  resource?: Practitioner & { meta?: { versionId?: string } };
  search?: { mode?: string };
  request?: { method?: string; url?: string };
}
interface Practitioner extends FhirResource {
  id?: string;
  name?: { family?: string }[];
  qualification?: { code: { coding: { code: string }[] } }[];
}
type Bundle = FhirResource & { type?: string; total?: number; link: Link[]; entry?: Entry[] };

const entries = (b: Bundle): Entry[] => b.entry ?? [];
const ids = (b: Bundle, mode = 'match'): string[] =>
  entries(b)
    .filter((e) => e.search?.mode === mode)
    .map((e) => e.resource?.id ?? '');
const linkOf = (b: Bundle, relation: string): Link | undefined => b.link.find((l) => l.relation === relation);

describe('FHIR API driven by fhir-kit-client', () => {
  const system = composeSystem();
  const root = mkdtempSync(join(tmpdir(), 'annuaire-fhir-client-'));
  let store: Store;
  let app: FastifyInstance;
  let client: Client;
  let historian: Client;

  before(async () => {
    store = await system.openStore(`sqlite:${join(root, 'annuaire.db')}`);
    await store.migrate();
    for (const day of [0, 1]) {
      await importGeneratedDay(store, root, day, 7);
    }
    app = await buildApp({ ...system.http(store), logger: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    assert.ok(address && typeof address === 'object');
    client = new Client({ baseUrl: `http://127.0.0.1:${address.port}/fhir` });
    // A client with the historized scope sees past versions too (the public perimeter: current ones only).
    const { id, secret, secretSha256 } = newSecret();
    await store.createApiKey({ id, name: 'history', scopes: ['historized'], secretSha256 });
    historian = new Client({
      baseUrl: `http://127.0.0.1:${address.port}/fhir`,
      customHeaders: { 'ESANTE-API-KEY': secret },
    });
  });
  after(async () => {
    await app?.close();
    await store?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('reads the CapabilityStatement', async () => {
    const cs = (await client.capabilityStatement()) as FhirResource & {
      fhirVersion?: string;
      rest?: { resource?: { type: string; searchParam?: { name: string }[] }[] }[];
    };
    assert.equal(cs.resourceType, 'CapabilityStatement');
    assert.match(cs.fhirVersion ?? '', /^4\.0/);
    const practitioner = cs.rest?.[0]?.resource?.find((r) => r.type === 'Practitioner');
    assert.ok(practitioner?.searchParam?.some((p) => p.name === 'family'));
  });

  it('reads and vreads what a search finds', async () => {
    const found = (await client.search({
      resourceType: 'Practitioner',
      searchParams: { _count: '1' },
    })) as Bundle;
    const [id] = ids(found);
    assert.ok(id);
    const practitioner = (await client.read({ resourceType: 'Practitioner', id })) as Entry['resource'];
    assert.equal(practitioner?.resourceType, 'Practitioner');
    assert.equal(practitioner?.id, id);
    const version = practitioner?.meta?.versionId ?? '';
    const same = (await client.vread({ resourceType: 'Practitioner', id, version })) as Entry['resource'];
    assert.deepEqual(same, practitioner);
  });

  it('searches with several parameters, every match satisfying all of them', async () => {
    const sample = (await client.search({
      resourceType: 'Practitioner',
      searchParams: { _count: '50' },
    })) as Bundle;
    const first = entries(sample)[0]?.resource;
    const family = first?.name?.[0]?.family ?? '';
    const code = first?.qualification?.[0]?.code.coding[0]?.code ?? '';
    assert.ok(family.length >= 2 && code);
    const prefix = family.slice(0, 2);
    const bundle = (await client.search({
      resourceType: 'Practitioner',
      searchParams: { family: prefix, 'qualification-code': code, active: 'true', _count: '1000' },
    })) as Bundle;
    assert.equal(bundle.type, 'searchset');
    assert.ok(ids(bundle).includes(first?.id as string), 'the resource the values come from is found');
    assert.equal(bundle.total, ids(bundle).length);
    for (const e of entries(bundle)) {
      const r = e.resource;
      assert.ok(r?.name?.some((n) => fold(n.family ?? '').startsWith(fold(prefix))));
      assert.ok(r?.qualification?.some((q) => q.code.coding.some((c) => c.code === code)));
    }
  });

  it('walks every page with nextPage, each id once, as many as the total; prevPage goes back', async () => {
    const pages: Bundle[] = [
      (await client.search({ resourceType: 'Organization', searchParams: { _count: '37' } })) as Bundle,
    ];
    for (
      let next = client.nextPage({ bundle: pages.at(-1)! });
      next;
      next = client.nextPage({ bundle: pages.at(-1)! })
    ) {
      pages.push((await next) as Bundle);
    }
    const seen = pages.flatMap((p) => ids(p));
    assert.ok(pages.length > 2, 'several pages');
    assert.equal(new Set(seen).size, seen.length, 'no id twice');
    assert.equal(seen.length, pages[0]!.total);
    assert.ok(pages.slice(0, -1).every((p) => ids(p).length === 37));
    assert.equal(linkOf(pages.at(-1)!, 'next'), undefined);

    // Back from the last page: the same pages, in the same order.
    let back = pages.at(-1)!;
    for (let i = pages.length - 2; i >= 0; i -= 1) {
      const previous = client.prevPage({ bundle: back });
      assert.ok(previous, `a previous link on page ${i + 2}`);
      back = (await previous) as Bundle;
      assert.deepEqual(ids(back), ids(pages[i]!));
    }
    assert.equal(client.prevPage({ bundle: back }), undefined, 'no previous link on the first page');
  });

  it('includes what the matches point to', async () => {
    const bundle = (await client.search({
      resourceType: 'PractitionerRole',
      searchParams: { _count: '10', _include: 'PractitionerRole:practitioner' },
    })) as Bundle;
    const wanted = new Set(
      entries(bundle)
        .filter((e) => e.search?.mode === 'match')
        .map((e) => (e.resource as { practitioner?: { reference: string } }).practitioner?.reference),
    );
    const included = new Set(ids(bundle, 'include').map((id) => `Practitioner/${id}`));
    assert.deepEqual(included, wanted);
  });

  it('gives the history of a type and of an instance, newest first, past versions with the historized scope', async () => {
    const typeHistory = (await client.typeHistory({ resourceType: 'Practitioner' })) as Bundle;
    assert.equal(typeHistory.type, 'history');
    assert.ok(entries(typeHistory).length > 0);
    // Walk the type history to a version 2 (the day+1 release changed some practitioners).
    let changed: string | undefined;
    let page: Bundle | undefined = typeHistory;
    while (page && !changed) {
      changed = entries(page).find((e) => e.resource?.meta?.versionId === '2')?.resource?.id;
      const next = client.nextPage({ bundle: page });
      page = next ? ((await next) as Bundle) : undefined;
    }
    assert.ok(changed, 'the day+1 release changed a practitioner');
    const instance = (await historian.resourceHistory({
      resourceType: 'Practitioner',
      id: changed,
    })) as Bundle;
    // Newest first, as FHIR orders a history.
    const versions = entries(instance).map((e) => e.resource?.meta?.versionId);
    assert.deepEqual(versions, ['2', '1']);
    const publicInstance = (await client.resourceHistory({
      resourceType: 'Practitioner',
      id: changed,
    })) as Bundle;
    assert.deepEqual(
      entries(publicInstance).map((e) => e.resource?.meta?.versionId),
      ['2'],
    );
    assert.ok(entries(instance).every((e) => e.resource?.id === changed));
    const current = (await client.read({ resourceType: 'Practitioner', id: changed })) as Entry['resource'];
    assert.equal(current?.meta?.versionId, '2');
  });

  it('answers an unknown id with 404 and an OperationOutcome', async () => {
    await assert.rejects(
      client.read({ resourceType: 'Practitioner', id: 'no-such-id' }),
      (e: { response?: { status?: number; data?: unknown } }) => {
        assert.equal(e.response?.status, 404);
        const data = (
          typeof e.response?.data === 'string' ? JSON.parse(e.response.data) : e.response?.data
        ) as {
          resourceType?: string;
          issue?: { severity: string; code: string }[];
        };
        assert.equal(data.resourceType, 'OperationOutcome');
        assert.equal(data.issue?.[0]?.code, 'not-found');
        return true;
      },
    );
  });
});
