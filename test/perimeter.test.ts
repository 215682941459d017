/**
 * Perimeters end to end: resources that carry every restricted element, served over HTTP on a real port and
 * requested through every interaction that emits resources. Without a key no restricted element, past
 * version or deactivated content appears; with keys, what each scope opens does.
 */
import Database from 'better-sqlite3';
import * as assert from 'node:assert/strict';
import pg from 'pg';
import { after, before, describe, it } from 'node:test';
import type { Resource, Store } from '../src/store/store.js';
import { createKey, serve, type Served } from './support/http.js';
import { organization, practitioner } from './support/resources.js';
import { onPostgres, sqliteStores, type StoreFactory, type TestStore } from './support/stores.js';

const AS = 'https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition/';
const FR = 'https://hl7.fr/ig/fhir/core/StructureDefinition/';

/** An MSSanté mailbox with its metadata (as the importer writes it) and restricted metadata. */
const mailbox = (address: string, redList: boolean): Record<string, unknown> => ({
  extension: [
    {
      url: `${FR}fr-core-contact-point-email-type`,
      valueCoding: { system: 'https://mos.esante.gouv.fr/NOS/TRE_R256-TypeMessagerie', code: 'MSSANTE' },
    },
    {
      url: `${AS}as-ext-mailbox-mss-metadata`,
      extension: [
        { url: 'type', valueCodeableConcept: { coding: [{ code: 'PER' }] } },
        { url: 'responsible', valueString: 'R3STR-responsible' },
        { url: 'phone', valueString: 'R3STR-mailbox-phone' },
        { url: 'listeRouge', valueBoolean: redList },
      ],
    },
  ],
  system: 'email',
  value: address,
});

const A_ID = '810000000008';

/** Practitioner A with every restricted element the IG names; `family` tells its versions apart. */
function restrictedPractitioner(family: string): Resource {
  const base = practitioner('10000000008', family, 'JEAN');
  return {
    ...base,
    extension: [
      { url: `${AS}as-ext-registration`, extension: [{ url: 'status', valueString: 'R3STR-registration' }] },
      {
        url: `${AS}as-ext-digital-certificate`,
        extension: [{ url: 'serialNumber', valueString: 'R3STR-certificate' }],
      },
      { url: `${AS}as-ext-practitioner-birth-place`, valueString: 'R3STR-birth-place' },
      { url: `${AS}as-ext-practitioner-nationality`, valueString: 'R3STR-nationality' },
      {
        url: `${AS}as-ext-smartcard`,
        extension: [
          { url: 'number', valueString: 'CARD-PUBLIC-1' },
          { url: 'period', valuePeriod: { start: '2024-01-01' } },
          { url: 'oppositionDate', valueDate: '2025-06-01' },
        ],
      },
    ],
    identifier: [
      ...(base['identifier'] as object[]),
      {
        system: 'https://example.org/other',
        value: 'X1',
        period: { start: '2001-01-01' },
        assigner: { display: 'R3STR-assigner' },
      },
    ],
    name: [{ use: 'usual', family, given: ['JEAN'], period: { start: '1999-09-09' } }],
    birthDate: '1961-02-03',
    gender: 'male',
    address: [{ line: ['R3STR-correspondence-address'], city: 'PARIS' }],
    communication: [{ text: 'R3STR-language' }],
    telecom: [
      { system: 'phone', value: 'R3STR-phone' },
      { system: 'email', value: 'R3STR-private@example.org' },
      mailbox('public.box@test.mssante.fr', false),
      mailbox('R3STR-red-list@test.mssante.fr', true),
    ],
    qualification: [
      {
        code: { coding: [{ code: '10' }] },
        period: { start: '1990-01-01' },
        extension: [{ url: `${AS}as-ext-education-level`, valueString: 'R3STR-education' }],
      },
    ],
  };
}

const ORG_ID = 'F750000001';

function restrictedOrganization(): Resource {
  return {
    ...organization('750000001', 'CLINIQUE PUBLIQUE', 'PARIS'),
    extension: [
      {
        url: `${AS}as-ext-digital-certificate`,
        extension: [{ url: 'serialNumber', valueString: 'R3STR-org-certificate' }],
      },
    ],
    telecom: [{ system: 'phone', value: '0102030405' }, mailbox('accueil@clinique.mssante.fr', false)],
    contact: [{ name: { text: 'R3STR-contact-person' } }],
  };
}

const ROLE_ID = 'role-1';

function restrictedRole(): Resource {
  return {
    resourceType: 'PractitionerRole',
    id: ROLE_ID,
    identifier: [
      { system: 'https://rpps.esante.gouv.fr', value: 'SITUATION-1' },
      { system: 'http://ameli.fr', value: 'R3STR-numero-am' },
    ],
    active: true,
    period: { start: '2010-01-01' },
    practitioner: { reference: `Practitioner/${A_ID}` },
    organization: { reference: `Organization/${ORG_ID}` },
    extension: [
      { url: `${AS}as-ext-practitionerrole-vitale-accepted`, valueBoolean: true },
      { url: `${AS}as-ext-practitionerrole-contracted`, valueString: 'R3STR-contracted' },
    ],
    telecom: [{ system: 'fax', value: 'R3STR-fax' }, mailbox('R3STR-role-red@test.mssante.fr', true)],
  };
}

const B_ID = '810000000016';

/** Practitioner B: deactivated in release 2 (its content then is historized data). */
const deactivated = (active: boolean): Resource => ({
  ...practitioner('10000000016', 'R3STR-DEACTIVATED-NAME', 'LUC'),
  active,
});

/** What must never appear in the public perimeter. */
const FORBIDDEN = [
  'R3STR',
  'ANCIEN',
  '"birthDate"',
  '"gender"',
  'oppositionDate',
  'listeRouge',
  'responsible',
  'as-ext-registration',
  'as-ext-digital-certificate',
  'as-ext-education-level',
  'birth-place',
  'nationality',
  'vitale-accepted',
  '"assigner"',
  '"contact"',
  '"period":',
  '"communication"',
];

function assertPublic(text: string, what: string): void {
  for (const f of FORBIDDEN) {
    assert.ok(!text.includes(f), `${what}: the public perimeter shows ${f}:\n${text.slice(0, 3000)}`);
  }
}

async function get(
  origin: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string; headers: Headers }> {
  const r = await fetch(`${origin}${path}`, { headers });
  return { status: r.status, text: await r.text(), headers: r.headers };
}

/** Every page of a Bundle, following its next links. */
async function allPages(
  origin: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<string[]> {
  const pages: string[] = [];
  let url: string | undefined = `${origin}${path}`;
  while (url !== undefined && pages.length < 50) {
    const r: Response = await fetch(url, { headers });
    const text = await r.text();
    assert.equal(r.status, 200, `${url}: ${text}`);
    pages.push(text);
    const bundle = JSON.parse(text) as { link: { relation: string; url: string }[] };
    url = bundle.link.find((l) => l.relation === 'next')?.url;
  }
  return pages;
}

async function load(store: Store): Promise<void> {
  const w1 = await store.beginRelease({ source: 'release 1' });
  await w1.put([
    restrictedPractitioner('ANCIEN'),
    restrictedOrganization(),
    restrictedRole(),
    deactivated(true),
  ]);
  await w1.commit();
  const w2 = await store.beginRelease({ source: 'release 2' });
  await w2.put([restrictedPractitioner('NOUVEAU'), deactivated(false)]);
  await w2.commit();
}

/** Every interaction that emits resources, each as a request path (GET) or a POST search. */
const SWEEP: readonly string[] = [
  `/fhir/Practitioner/${A_ID}`,
  `/fhir/Practitioner/${B_ID}`,
  `/fhir/PractitionerRole/${ROLE_ID}`,
  `/fhir/Organization/${ORG_ID}`,
  `/fhir/Practitioner/${A_ID}/_history/2`,
  `/fhir/Practitioner/${B_ID}/_history/2`,
  '/fhir/Practitioner',
  '/fhir/Practitioner?_count=1',
  `/fhir/Practitioner?_id=${A_ID},${B_ID}&_revinclude=PractitionerRole:practitioner`,
  '/fhir/PractitionerRole?_include=PractitionerRole:practitioner&_include=PractitionerRole:organization',
  '/fhir/PractitionerRole?_include=PractitionerRole:*',
  '/fhir/Organization?_revinclude=PractitionerRole:organization&_include:iterate=PractitionerRole:practitioner',
  '/fhir/Practitioner?_elements=birthDate,gender,telecom,address,extension,identifier,name,qualification',
  '/fhir/PractitionerRole?_elements=period,identifier,telecom,extension',
  '/fhir/Practitioner?_summary=true',
  '/fhir/Practitioner?active=false',
  '/fhir/_history',
  '/fhir/_history?_count=1',
  '/fhir/Practitioner/_history',
  `/fhir/Practitioner/${A_ID}/_history`,
  `/fhir/Practitioner/${B_ID}/_history`,
  '/fhir/PractitionerRole/_history',
  '/fhir/Organization/_history',
];

function perimeterSuite(engine: string, factory: StoreFactory): void {
  describe(`Perimeters over HTTP on ${engine}`, () => {
    let t: TestStore;
    let served: Served;
    before(async () => {
      t = await factory();
      await load(t.store);
      served = await serve(t.store);
    });
    after(async () => {
      await served.close();
      await t.dispose();
    });

    it('never shows a restricted element, a past version or deactivated content without a key', async () => {
      for (const path of SWEEP) {
        for (const text of await allPagesOrOne(served.origin, path)) {
          assertPublic(text, path);
        }
      }
      const form = await fetch(`${served.origin}/fhir/PractitionerRole/_search`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: '_include=PractitionerRole:practitioner&_include=PractitionerRole:organization',
      });
      assert.equal(form.status, 200);
      assertPublic(await form.text(), 'POST _search');
    });

    it('keeps the public content: mailboxes off the red list, cards, identifiers, tombstones', async () => {
      const a = JSON.parse((await get(served.origin, `/fhir/Practitioner/${A_ID}`)).text) as Resource;
      const text = JSON.stringify(a);
      assert.match(text, /public\.box@test\.mssante\.fr/);
      assert.match(text, /CARD-PUBLIC-1/);
      assert.match(text, /"valuePeriod"/);
      assert.equal((a['name'] as { family: string }[])[0]?.family, 'NOUVEAU');
      assert.deepEqual(
        (a['telecom'] as { value: string }[]).map((t) => t.value),
        ['public.box@test.mssante.fr'],
      );
      const org = (await get(served.origin, `/fhir/Organization/${ORG_ID}`)).text;
      assert.match(org, /0102030405/);
      assert.match(org, /accueil@clinique\.mssante\.fr/);
      // A deactivated practitioner, as the official API serves it to delta clients.
      const b = JSON.parse((await get(served.origin, `/fhir/Practitioner/${B_ID}`)).text) as Resource;
      assert.deepEqual(Object.keys(b).sort(), ['active', 'id', 'identifier', 'meta', 'resourceType']);
      assert.equal(b['active'], false);
      // The change feed stays a usable delta: A once, at its current version; B's deactivation.
      const feed = JSON.parse((await get(served.origin, '/fhir/_history')).text) as {
        entry: { fullUrl: string; response: { etag: string } }[];
      };
      const practitioners = feed.entry.filter((e) => e.fullUrl.includes('/Practitioner/'));
      assert.deepEqual(practitioners.map((e) => [e.fullUrl.split('/').at(-1), e.response.etag]).sort(), [
        [A_ID, 'W/"2"'],
        [B_ID, 'W/"2"'],
      ]);
    });

    it('answers 403 forbidden for a past version and 401 login for an unknown or revoked key', async () => {
      const past = await get(served.origin, `/fhir/Practitioner/${A_ID}/_history/1`);
      assert.equal(past.status, 403);
      assert.match(past.text, /"code":"forbidden"/);
      assertPublic(past.text, 'vread of a past version');

      const unknown = await get(served.origin, `/fhir/Practitioner/${A_ID}`, {
        'ESANTE-API-KEY': 'ann_nope',
      });
      assert.equal(unknown.status, 401);
      assert.match(unknown.text, /"resourceType":"OperationOutcome"/);
      assert.match(unknown.text, /"code":"login"/);
      assert.match(unknown.headers.get('www-authenticate') ?? '', /^Bearer/);
      for (const path of ['/fhir/metadata', '/fhir/CodeSystem']) {
        assert.equal(
          (await get(served.origin, path, { authorization: 'Bearer ann_nope' })).status,
          401,
          path,
        );
      }
      assert.equal((await get(served.origin, '/health', { authorization: 'Bearer ann_nope' })).status, 200);

      const key = await createKey(t.store, ['restricted']);
      const ok = await get(served.origin, `/fhir/Practitioner/${A_ID}`, {
        authorization: `Bearer ${key.secret}`,
      });
      assert.equal(ok.status, 200);
      await t.store.revokeApiKey(key.id);
      // Another server (a fresh cache) refuses the revoked key at once.
      const other = await serve(t.store);
      try {
        const revoked = await get(other.origin, '/fhir/Practitioner', {
          authorization: `Bearer ${key.secret}`,
        });
        assert.equal(revoked.status, 401);
        assert.match(revoked.text, /revoked/);
      } finally {
        await other.close();
      }
    });

    it('opens restricted fields with the restricted scope, but not past versions', async () => {
      const { secret } = await createKey(t.store, ['restricted']);
      const h = { 'ESANTE-API-KEY': secret };
      const a = (await get(served.origin, `/fhir/Practitioner/${A_ID}`, h)).text;
      for (const f of [
        'oppositionDate',
        'listeRouge',
        'R3STR-red-list',
        '"birthDate"',
        'as-ext-registration',
      ]) {
        assert.ok(a.includes(f), f);
      }
      assert.match(
        (await get(served.origin, `/fhir/PractitionerRole/${ROLE_ID}`, h)).text,
        /R3STR-numero-am/,
      );
      assert.equal((await get(served.origin, `/fhir/Practitioner/${A_ID}/_history/1`, h)).status, 403);
      const b = (await get(served.origin, `/fhir/Practitioner/${B_ID}`, h)).text;
      assert.ok(!b.includes('R3STR-DEACTIVATED-NAME'), b);
      const history = (await get(served.origin, `/fhir/Practitioner/${A_ID}/_history`, h)).text;
      assert.ok(!history.includes('ANCIEN'));
    });

    it('opens past versions and deactivated content with the historized scope, public fields only', async () => {
      const { secret } = await createKey(t.store, ['historized']);
      const h = { authorization: `Bearer ${secret}` };
      const v1 = await get(served.origin, `/fhir/Practitioner/${A_ID}/_history/1`, h);
      assert.equal(v1.status, 200);
      assert.match(v1.text, /ANCIEN/);
      assert.ok(!v1.text.includes('oppositionDate'));
      const history = (await get(served.origin, `/fhir/Practitioner/${A_ID}/_history`, h)).text;
      assert.match(history, /ANCIEN/);
      assert.match(history, /NOUVEAU/);
      assert.match(
        (await get(served.origin, `/fhir/Practitioner/${B_ID}`, h)).text,
        /R3STR-DEACTIVATED-NAME/,
      );
    });

    it('refuses hand-made page links pinned to a snapshot replaced long ago, without the historized scope', async () => {
      const token = (q: [string, string][]): string =>
        Buffer.from(JSON.stringify({ q, r: 1 })).toString('base64url');
      const paths = [`/fhir/Practitioner?_page=${token([])}`, `/fhir/_history?_page=${token([])}`];
      // Release 2 has just replaced release 1: a crawl started before it goes on.
      for (const path of paths) {
        assert.equal((await get(served.origin, path)).status, 200, path);
      }
      await backdate(t.url, 2, new Date(Date.now() - 2 * 24 * 3600_000).toISOString());
      const { secret } = await createKey(t.store, ['historized']);
      for (const path of paths) {
        const refused = await get(served.origin, path);
        assert.equal(refused.status, 403, path);
        assert.match(refused.text, /"code":"forbidden"/);
        assert.match((await get(served.origin, path, { 'ESANTE-API-KEY': secret })).text, /ANCIEN/);
      }
    });

    it('serves everything as stored with both scopes', async () => {
      const { secret } = await createKey(t.store, ['restricted', 'historized']);
      const h = { 'ESANTE-API-KEY': secret };
      const stored = await t.store.read('Practitioner', A_ID);
      assert.equal((await get(served.origin, `/fhir/Practitioner/${A_ID}`, h)).text, stored?.json);
      const v1 = (await get(served.origin, `/fhir/Practitioner/${A_ID}/_history/1`, h)).text;
      assert.match(v1, /oppositionDate/);
      assert.match(v1, /ANCIEN/);
      const pages = await allPages(served.origin, '/fhir/_history?_count=2', h);
      assert.match(pages.join(''), /ANCIEN/);
    });
  });
}

/** Moves a release's commit time back (as if it had been committed then), in the store's own tables. */
async function backdate(url: string, release: number, committedAt: string): Promise<void> {
  if (url.startsWith('sqlite:')) {
    const db = new Database(url.slice('sqlite:'.length));
    db.prepare('UPDATE release SET committed_at = ? WHERE id = ?').run(committedAt, release);
    db.close();
    return;
  }
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? 'public';
  parsed.searchParams.delete('schema');
  const client = new pg.Client({ connectionString: parsed.toString() });
  await client.connect();
  await client.query(`UPDATE ${schema}.release SET committed_at = $1 WHERE id = $2`, [committedAt, release]);
  await client.end();
}

/** A Bundle's pages, or the one answer of a read. */
async function allPagesOrOne(origin: string, path: string): Promise<string[]> {
  const first = await get(origin, path);
  assert.equal(first.status, 200, `${path}: ${first.text}`);
  return first.text.includes('"resourceType":"Bundle"') ? allPages(origin, path) : [first.text];
}

perimeterSuite('sqlite', sqliteStores);
await onPostgres('Perimeters over HTTP', (f) => perimeterSuite('postgres', f));
