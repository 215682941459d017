/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-argument -- the assertions walk FHIR JSON, whose shape is what they check */
/**
 * The FHIR API over real HTTP on loopback, on every engine (fhir-api-sqlite.test.ts, fhir-api-postgres.test.ts):
 * read, search semantics, paging pinned to a release, history, errors.
 */
import * as assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { MAX_REVINCLUDED } from '../src/fhir/interactions/include.js';
import { buildApp } from '../src/http/app.js';
import { composeSystem } from '../src/main.js';
import type { Resource, Store } from '../src/store/store.js';
import { createJudge } from './support/fhir-judge.js';
import { practitioner } from './support/resources.js';
import type { StoreFactory, TestStore } from './support/stores.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const G15 = 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante';
const RPPS = 'https://rpps.esante.gouv.fr';
const IDNPS = 'urn:oid:1.2.250.1.71.4.2.1';
const TYPE_0203 = 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203';

const profession = (code: string): Partial<Resource> => ({
  qualification: [
    { code: { coding: [{ system: G15, code, display: code === '10' ? 'Médecin' : 'Infirmier' }] } },
  ],
});

function org(
  id: string,
  name: string,
  city: string,
  postalCode: string,
  partOf?: string,
  position?: [number, number],
): Resource {
  const geolocation = position && {
    extension: [
      {
        url: 'http://hl7.org/fhir/StructureDefinition/geolocation',
        extension: [
          { url: 'latitude', valueDecimal: position[0] },
          { url: 'longitude', valueDecimal: position[1] },
        ],
      },
    ],
  };
  return {
    resourceType: 'Organization',
    id,
    identifier: [{ system: 'https://finess.esante.gouv.fr', value: id.slice(1) }],
    active: true,
    name,
    address: [{ ...geolocation, city, postalCode }],
    ...(partOf ? { partOf: { reference: `Organization/${partOf}` } } : {}),
  };
}

function role(id: string, who: string, where: string): Resource {
  return {
    resourceType: 'PractitionerRole',
    id,
    active: true,
    practitioner: { reference: `Practitioner/${who}` },
    organization: { reference: `Organization/${where}` },
  };
}

const P1 = '810000000008';
const P2 = '810000000016';
const P3 = '810000000024';
const P4 = '810000000032';
const P9 = '810000000099';

/** A small directory: named people, a three-level structure hierarchy, roles, and 60 more for paging. */
function directory(): Resource[] {
  const typed = {
    identifier: [
      { system: IDNPS, value: P1 },
      { type: { coding: [{ system: TYPE_0203, code: 'RPPS' }] }, system: RPPS, value: '10000000008' },
    ],
  };
  return [
    practitioner('10000000008', 'LEFÈVRE', 'HÉLÈNE', {
      ...profession('10'),
      ...typed,
      telecom: [{ system: 'email', value: 'helene.lefevre@medecin.mssante.fr' }],
    }),
    practitioner('10000000016', 'MARTIN', 'BENEDICTE', profession('10')),
    practitioner('10000000024', 'DUPONT', 'JEAN', profession('60')),
    practitioner('10000000032', 'ROUX', 'LOUIS', profession('60')),
    practitioner('10000000099', 'BLANC', 'PAUL', profession('60')),
    ...Array.from({ length: 60 }, (_, i) =>
      practitioner(
        `2${String(i).padStart(10, '0')}`,
        `NOM${String(i).padStart(2, '0')}`,
        'X',
        profession('60'),
      ),
    ),
    org('F010000016', 'CENTRE HOSPITALIER DE BOURG', 'BOURG-EN-BRESSE', '01000'),
    org('F010000024', 'CH DE FLEYRIAT', 'BOURG-EN-BRESSE', '01440', 'F010000016', [46.2145, 5.2418]),
    org('F750000000', 'AP-HP', 'PARIS', '75004'),
    org('F750000001', 'HOPITAL SAINT-ANTOINE', 'PARIS', '75012', 'F750000000', [48.849, 2.3837]),
    org('F750000002', 'SERVICE DE CARDIOLOGIE', 'PARIS', '75012', 'F750000001'),
    role('R1', P1, 'F010000024'),
    role('R2', P2, 'F750000001'),
    role('R3', P3, 'F750000002'),
  ];
}

async function serve(store: Store): Promise<{ app: FastifyInstance; base: string }> {
  const app = await buildApp({ ...composeSystem().http(store), logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/fhir` };
}

/** Runs `test` against a server on a fresh store, then closes both. */
async function served(
  factory: StoreFactory,
  test: (t: TestStore, base: string) => Promise<void>,
): Promise<void> {
  const t = await factory();
  const { app, base } = await serve(t.store);
  try {
    await test(t, base);
  } finally {
    await app.close();
    await t.dispose();
  }
}

export function fhirApiContract(engine: string, factory: StoreFactory): void {
  describe(`FHIR API on ${engine}`, () => {
    let t: TestStore;
    let base: string;
    let app: FastifyInstance;
    const get = async (
      path: string,
      headers: Record<string, string> = {},
    ): Promise<{ status: number; body: Json; headers: Headers }> => {
      const r = await fetch(`${base}/${path}`, { headers });
      const text = await r.text();
      return { status: r.status, body: text ? JSON.parse(text) : {}, headers: r.headers };
    };
    const ids = async (path: string): Promise<string[]> => {
      const { status, body } = await get(
        path.includes('_count=') ? path : `${path}${path.includes('?') ? '&' : '?'}_count=1000`,
      );
      assert.equal(status, 200, `${path}: ${JSON.stringify(body)}`);
      assert.equal(body.resourceType, 'Bundle');
      return (body.entry ?? [])
        .filter((e: Json) => e.search?.mode === 'match')
        .map((e: Json) => e.resource.id)
        .sort();
    };

    before(async () => {
      t = await factory();
      const w1 = await t.store.beginRelease({ source: 'test 1' });
      await w1.put(directory());
      await w1.commit();
      // Release 2: P4 is deactivated (minimal content), P9 is deleted.
      const w2 = await t.store.beginRelease({ source: 'test 2' });
      await w2.put([
        { resourceType: 'Practitioner', id: P4, identifier: [{ system: IDNPS, value: P4 }], active: false },
      ]);
      await w2.remove('Practitioner', P9);
      await w2.commit();
      ({ app, base } = await serve(t.store));
    });
    after(async () => {
      await app.close();
      await t.dispose();
    });

    it('describes itself: CapabilityStatement and the NOS CodeSystems', async () => {
      const { status, body, headers } = await get('metadata');
      assert.equal(status, 200);
      assert.match(headers.get('content-type') ?? '', /^application\/fhir\+json/);
      assert.equal(body.fhirVersion, '4.0.1');
      const practitionerCaps = body.rest[0].resource.find((r: Json) => r.type === 'Practitioner');
      for (const p of [
        'identifier',
        'family',
        'name',
        'qualification-code',
        'mailbox-mss',
        'data-information-system',
        '_lastUpdated',
      ]) {
        assert.ok(
          practitionerCaps.searchParam.some((s: Json) => s.name === p),
          p,
        );
      }
      const cs = await get('CodeSystem/TRE-G15-ProfessionSante');
      assert.equal(cs.status, 200);
      assert.equal(cs.body.url, G15);
      assert.ok(cs.body.concept.some((c: Json) => c.code === '10' && c.display === 'Médecin'));
      assert.deepEqual(await ids(`CodeSystem?url=${encodeURIComponent(G15)}`), ['TRE-G15-ProfessionSante']);
      assert.equal((await get('CodeSystem/nope')).status, 404);
    });

    it('reads with ETag and Last-Modified, answers 304, 404 and 410; vreads', async () => {
      const r = await get(`Practitioner/${P1}`);
      assert.equal(r.status, 200);
      assert.equal(r.body.id, P1);
      assert.equal(r.headers.get('etag'), 'W/"1"');
      const lastModified = r.headers.get('last-modified')!;
      assert.equal(new Date(lastModified).toUTCString(), lastModified);
      assert.equal((await get(`Practitioner/${P1}`, { 'if-none-match': 'W/"1"' })).status, 304);
      assert.equal((await get(`Practitioner/${P1}`, { 'if-none-match': 'W/"2"' })).status, 200);
      assert.equal((await get(`Practitioner/${P1}`, { 'if-modified-since': lastModified })).status, 304);
      const missing = await get('Practitioner/nope');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.resourceType, 'OperationOutcome');
      const gone = await get(`Practitioner/${P9}`);
      assert.equal(gone.status, 410);
      assert.equal(gone.body.issue[0].code, 'deleted');
      const v1 = await get(`Practitioner/${P1}/_history/1`);
      assert.equal(v1.status, 200);
      assert.equal(v1.body.meta.versionId, '1');
      assert.equal((await get(`Practitioner/${P1}/_history/7`)).status, 404);
      assert.equal((await get('Patient/1')).status, 404);
      const pretty = await fetch(`${base}/Practitioner/${P1}?_pretty=true`).then((x) => x.text());
      assert.match(pretty, /\n {2}"resourceType": "Practitioner"/);
    });

    it('matches strings by prefix, case- and accent-insensitive; :exact and :contains', async () => {
      assert.deepEqual(await ids('Practitioner?family=lef'), [P1]);
      assert.deepEqual(await ids('Practitioner?family=LEFÈ'), [P1]);
      assert.deepEqual(await ids(`Practitioner?name=${encodeURIComponent('bénédicte')}`), [P2]);
      assert.deepEqual(await ids(`Practitioner?given=${encodeURIComponent('hélène')}`), [P1]);
      assert.deepEqual(await ids(`Practitioner?family:exact=${encodeURIComponent('LEFÈVRE')}`), [P1]);
      assert.deepEqual(await ids('Practitioner?family:exact=LEFEVRE'), []);
      assert.deepEqual(await ids('Practitioner?family:exact=lefèvre'), []);
      assert.deepEqual(await ids('Practitioner?family:contains=FEV'), [P1]);
      assert.deepEqual(await ids('Practitioner?name:contains=nedic'), [P2]);
      assert.deepEqual(await ids('Organization?address-postalcode=75'), [
        'F750000000',
        'F750000001',
        'F750000002',
      ]);
      assert.deepEqual(await ids('Organization?address-city=bourg-en'), ['F010000016', 'F010000024']);
      assert.deepEqual(await ids('Practitioner?mailbox-mss=helene'), [P1]);
    });

    it('matches tokens: system|code, |code, system|, :not, :of-type, :missing, active', async () => {
      assert.deepEqual(await ids('Practitioner?identifier=10000000008'), [P1]);
      assert.deepEqual(await ids(`Practitioner?identifier=${encodeURIComponent(`${RPPS}|10000000008`)}`), [
        P1,
      ]);
      assert.deepEqual(
        await ids(`Practitioner?identifier=${encodeURIComponent(`${IDNPS}|10000000008`)}`),
        [],
      );
      assert.deepEqual(await ids(`Practitioner?qualification-code=${encodeURIComponent(`${G15}|10`)}`), [
        P1,
        P2,
      ]);
      assert.deepEqual(await ids('Practitioner?qualification-code=|10'), []);
      assert.equal(
        (await ids(`Practitioner?qualification-code=${encodeURIComponent(`${G15}|`)}`)).length,
        63,
      );
      const notDoctors = await ids('Practitioner?qualification-code:not=10');
      assert.ok(
        !notDoctors.includes(P1) &&
          !notDoctors.includes(P2) &&
          notDoctors.includes(P3) &&
          notDoctors.includes(P4),
      );
      assert.deepEqual(
        await ids(`Practitioner?identifier:of-type=${encodeURIComponent(`${TYPE_0203}|RPPS|10000000008`)}`),
        [P1],
      );
      assert.deepEqual(
        await ids(`Practitioner?identifier:of-type=${encodeURIComponent(`${TYPE_0203}|IDNPS|10000000008`)}`),
        [],
      );
      assert.deepEqual(await ids(`Practitioner?identifier-type=${encodeURIComponent(`${TYPE_0203}|RPPS`)}`), [
        P1,
      ]);
      assert.deepEqual(await ids('Practitioner?mailbox-mss:missing=false'), [P1]);
      assert.equal((await ids('Practitioner?mailbox-mss:missing=true')).length, 63);
      assert.deepEqual(await ids('Practitioner?active=false'), [P4]);
      assert.equal((await ids('Practitioner?active:not=false')).length, 63);
    });

    it('a comma means OR, a repeated parameter AND; dates by prefix and precision', async () => {
      assert.deepEqual(await ids('Practitioner?family=lef,mart'), [P1, P2]);
      assert.deepEqual(await ids('Practitioner?family=lef,mart&given=hel'), [P1]);
      assert.deepEqual(await ids('Practitioner?family=lef&given=jean'), []);
      assert.deepEqual(await ids('Practitioner?_id=' + `${P1},${P3},nope`), [P1, P3]);
      const lastUpdated = (await get(`Practitioner/${P1}`)).body.meta.lastUpdated as string;
      const day = lastUpdated.slice(0, 10);
      const year = lastUpdated.slice(0, 4);
      assert.ok((await ids(`Practitioner?_lastUpdated=${day}`)).includes(P1));
      assert.ok((await ids(`Practitioner?_lastUpdated=ge${year}`)).includes(P1));
      assert.deepEqual(await ids(`Practitioner?_lastUpdated=gt${year}`), []);
      assert.deepEqual(await ids('Practitioner?_lastUpdated=lt2000-01-01'), []);
      assert.ok((await ids(`Practitioner?_lastUpdated=ne${Number(year) - 1}`)).includes(P1));
      assert.deepEqual(await ids(`Practitioner?_lastUpdated=lt${year}&_lastUpdated=ge2000`), []);
      const bad = await get('Practitioner?_lastUpdated=2026-13-01');
      assert.equal(bad.status, 400);
      assert.deepEqual(bad.body.issue[0].expression, ['_lastUpdated']);
    });

    it('chains, _has, partof:above / :below, and near', async () => {
      assert.deepEqual(await ids('PractitionerRole?organization.address-city=paris'), ['R2', 'R3']);
      assert.deepEqual(await ids('PractitionerRole?organization.address-postalcode=75'), ['R2', 'R3']);
      assert.deepEqual(await ids('PractitionerRole?practitioner.name=lef'), ['R1']);
      assert.deepEqual(await ids('PractitionerRole?organization:Organization.name=hopital'), ['R2']);
      assert.deepEqual(await ids('PractitionerRole?organization.partof.name=ap-hp'), ['R2']);
      assert.deepEqual(
        await ids('Practitioner?_has:PractitionerRole:practitioner:organization.address-postalcode=75'),
        [P2, P3],
      );
      assert.deepEqual(await ids('Organization?partof:below=F750000000'), ['F750000001', 'F750000002']);
      assert.deepEqual(await ids('Organization?partof:above=F750000002'), ['F750000000', 'F750000001']);
      assert.deepEqual(await ids('Organization?partof=Organization/F010000016'), ['F010000024']);
      assert.deepEqual(await ids('Organization?partof=F010000016'), ['F010000024']);
      // Saint-Antoine is 2.4 km from the Hôtel de Ville, Fleyriat 390 km.
      const hotelDeVille = '48.8566|2.3522';
      assert.deepEqual(await ids(`Organization?near=${hotelDeVille}|10|km`), ['F750000001']);
      assert.deepEqual(await ids(`Organization?near=${hotelDeVille}|2|km`), []);
      assert.deepEqual(await ids(`Organization?near=${hotelDeVille}|2500|m`), ['F750000001']);
      assert.deepEqual(await ids(`Organization?near=${hotelDeVille}|500|km`), ['F010000024', 'F750000001']);
      assert.deepEqual(await ids(`Organization?near=${hotelDeVille}|500|km&address-city=bourg`), [
        'F010000024',
      ]);
      assert.equal((await get('Organization?near=91|0|1|km')).status, 400);
      const bad = await get('PractitionerRole?role.name=x');
      assert.equal(bad.status, 400);
    });

    it('_include, _revinclude, * and :iterate', async () => {
      const bundle = async (path: string): Promise<string[]> =>
        ((await get(path)).body.entry ?? [])
          .map((e: Json) => `${e.search.mode}:${e.resource.resourceType}/${e.resource.id}`)
          .sort();
      assert.deepEqual(await bundle('PractitionerRole?_id=R1&_include=PractitionerRole:organization'), [
        'include:Organization/F010000024',
        'match:PractitionerRole/R1',
      ]);
      assert.deepEqual(await bundle('PractitionerRole?_id=R1&_include=PractitionerRole:*'), [
        'include:Organization/F010000024',
        `include:Practitioner/${P1}`,
        'match:PractitionerRole/R1',
      ]);
      assert.deepEqual(await bundle('PractitionerRole?_id=R1&_include=*'), [
        'include:Organization/F010000024',
        `include:Practitioner/${P1}`,
        'match:PractitionerRole/R1',
      ]);
      assert.deepEqual(await bundle('Organization?_id=F750000002&_include:iterate=Organization:partof'), [
        'include:Organization/F750000000',
        'include:Organization/F750000001',
        'match:Organization/F750000002',
      ]);
      assert.deepEqual(
        await bundle(`Practitioner?_id=${P1}&_revinclude=PractitionerRole:practitioner`),
        [`match:Practitioner/${P1}`, 'include:PractitionerRole/R1'].sort(),
      );
      assert.deepEqual(
        await bundle(
          'Organization?_id=F750000001&_revinclude=PractitionerRole:organization&_revinclude=Organization:partof',
        ),
        ['include:Organization/F750000002', 'include:PractitionerRole/R2', 'match:Organization/F750000001'],
      );
    });

    it('_elements, _summary, _total, _sort and _count', async () => {
      const subset = await get(`Practitioner?_id=${P1}&_elements=name`);
      const r = subset.body.entry[0].resource;
      assert.deepEqual(Object.keys(r).sort(), ['id', 'meta', 'name', 'resourceType']);
      assert.ok(r.meta.tag.some((tag: Json) => tag.code === 'SUBSETTED'));
      const count = await get('Practitioner?qualification-code=10&_summary=count');
      assert.equal(count.body.total, 2);
      assert.equal(count.body.entry, undefined);
      assert.equal((await get('Practitioner?_total=none')).body.total, undefined);
      assert.equal((await get('Practitioner')).body.total, 64);
      assert.equal((await get('Practitioner')).body.entry.length, 50);
      assert.equal((await get('Practitioner?_count=5000')).body.entry.length, 64);
      const summary = (await get(`Practitioner?_id=${P1}&_summary=true`)).body.entry[0].resource;
      assert.equal(summary.qualification, undefined);
      assert.ok(summary.name);
      const order = async (q: string): Promise<string[]> =>
        (await get(`Practitioner?family=${q}`)).body.entry.map((e: Json) => e.resource.name?.[0]?.family);
      assert.deepEqual(await order('nom0&_sort=family&_count=3'), ['NOM00', 'NOM01', 'NOM02']);
      assert.deepEqual(await order('nom0&_sort=-family&_count=3'), ['NOM09', 'NOM08', 'NOM07']);
      const byId = (await get('Practitioner?_sort=-_id&_count=3')).body.entry.map((e: Json) => e.resource.id);
      assert.deepEqual(byId, [...byId].sort().reverse());
      const newest = (await get('Practitioner?_sort=-_lastUpdated&_count=1')).body.entry[0].resource.id;
      assert.equal(newest, P4, 'deactivated in the last release');
      assert.equal((await get('Practitioner?_sort=birthDate')).status, 400);
      assert.equal((await get('Practitioner?_count=-1')).status, 400);
    });

    it('pages forwards and backwards with opaque links, every match once', async () => {
      const walk = async (start: string, rel: 'next' | 'previous'): Promise<string[][]> => {
        const pages: string[][] = [];
        let url: string | undefined = start;
        while (url) {
          const r: Json = (await fetch(url).then((x) => x.json())) as Json;
          pages.push((r.entry ?? []).map((e: Json) => e.resource.id));
          url = r.link.find((l: Json) => l.relation === rel)?.url;
        }
        return pages;
      };
      const first = (await get('Practitioner?_count=7&_sort=_id')).body;
      for (const rel of ['self', 'first', 'next', 'last']) {
        assert.ok(
          first.link.some((l: Json) => l.relation === rel),
          rel,
        );
      }
      assert.ok(!first.link.some((l: Json) => l.relation === 'previous'));
      const forwards = await walk(`${base}/Practitioner?_count=7&_sort=_id`, 'next');
      const all = forwards.flat();
      assert.equal(all.length, first.total);
      assert.equal(new Set(all).size, all.length);
      assert.deepEqual(all, [...all].sort());
      assert.ok(forwards.slice(0, -1).every((p) => p.length === 7));
      const last = first.link.find((l: Json) => l.relation === 'last').url;
      const backwards = await walk(last, 'previous');
      assert.deepEqual(backwards.reverse().flat(), all);
      assert.doesNotMatch(
        first.link.find((l: Json) => l.relation === 'next').url,
        /_count|_sort/,
        'the token is opaque',
      );
      const damaged = await get('Practitioner?_page=not-a-token');
      assert.equal(damaged.status, 400);
      const post = await fetch(`${base}/Practitioner/_search`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'family=lef,mart&_count=1',
      }).then((x) => x.json() as Promise<Json>);
      assert.equal(post.total, 2);
      assert.ok(post.link.some((l: Json) => l.relation === 'next'));
    });

    it('ignores and reports unknown parameters, or refuses them under Prefer: handling=strict', async () => {
      const lenient = await get('Practitioner?family=lef&nonsense=1');
      assert.equal(lenient.status, 200);
      assert.deepEqual(
        lenient.body.entry.filter((e: Json) => e.search.mode === 'match').map((e: Json) => e.resource.id),
        [P1],
      );
      const outcome = lenient.body.entry.find((e: Json) => e.search.mode === 'outcome');
      assert.match(outcome.resource.issue[0].diagnostics, /nonsense/);
      assert.doesNotMatch(lenient.body.link.find((l: Json) => l.relation === 'self').url, /nonsense/);
      const strict = await get('Practitioner?family=lef&nonsense=1', { prefer: 'handling=strict' });
      assert.equal(strict.status, 400);
      assert.deepEqual(strict.body.issue[0].expression, ['nonsense']);
      assert.equal((await get('Practitioner?family:bogus=x')).status, 400);
    });

    it('serves history at instance, type and system level, deactivations and deletions included', async () => {
      const instance = (await get(`Practitioner/${P4}/_history`)).body;
      assert.equal(instance.type, 'history');
      // Without the historized scope, only the current version (perimeter.ts); past ones need a key.
      assert.deepEqual(
        instance.entry.map((e: Json) => e.resource.meta.versionId),
        ['2'],
      );
      assert.equal(instance.entry[0].resource.active, false);
      const deleted = (await get(`Practitioner/${P9}/_history`)).body;
      assert.equal(deleted.entry[0].request.method, 'DELETE');
      const type: string[] = [];
      let url: string | undefined = `${base}/Practitioner/_history?_count=10`;
      while (url) {
        const page: Json = (await fetch(url).then((x) => x.json())) as Json;
        type.push(...page.entry.map((e: Json) => `${e.fullUrl}@${e.response.etag}`));
        url = page.link.find((l: Json) => l.relation === 'next')?.url;
      }
      // Each resource once, at its current version: 63 active, one deactivated, one deleted.
      assert.equal(type.length, 65);
      assert.equal(new Set(type).size, type.length);
      const releases = await t.store.releases();
      const since = (await get(`_history?_since=${encodeURIComponent(releases[1]!.committedAt)}`)).body;
      assert.deepEqual(since.entry.map((e: Json) => e.fullUrl.split('/fhir/')[1]).sort(), [
        `Practitioner/${P4}`,
        `Practitioner/${P9}`,
      ]);
      assert.equal((await get('Practitioner/nope/_history')).status, 404);
    });

    it('every kind of response validates against the R4 schema and invariants', async () => {
      const judge = createJudge();
      const paths = [
        'metadata',
        `Practitioner/${P1}`,
        `Practitioner/${P1}/_history/1`,
        `Practitioner?family=lef,mart&_include=*&_revinclude=PractitionerRole:practitioner&_total=accurate`,
        'PractitionerRole?_include=PractitionerRole:*&_count=2',
        'Organization?_revinclude=Organization:partof&_include:iterate=Organization:partof',
        `Practitioner?_id=${P1}&_elements=name,identifier`,
        `Practitioner?_id=${P1}&_summary=true`,
        'Practitioner?_summary=count',
        'Practitioner?nonsense=1&_count=1',
        `Practitioner/${P4}/_history`,
        `Practitioner/${P9}/_history`,
        'Practitioner/_history?_count=5',
        '_history?_count=5',
        'CodeSystem/TRE-G15-ProfessionSante',
        'CodeSystem?name=TRE_R',
        'Practitioner/nope',
        `Practitioner/${P9}`,
        'Practitioner?family:bad=x',
      ];
      for (const path of paths) {
        const { body } = await get(path);
        assert.deepEqual(judge.judge(body), [], path);
      }
    });

    it('answers errors as OperationOutcome: 405 on writes, 406 on other formats', async () => {
      const put = await fetch(`${base}/Practitioner/${P1}`, {
        method: 'PUT',
        body: '{}',
        headers: { 'content-type': 'application/fhir+json' },
      });
      assert.equal(put.status, 405);
      assert.equal(((await put.json()) as Json).resourceType, 'OperationOutcome');
      assert.equal((await get(`Practitioner/${P1}?_format=xml`)).status, 406);
      assert.equal((await get(`Practitioner/${P1}`, { accept: 'application/fhir+xml' })).status, 406);
      assert.equal((await get(`Practitioner/${P1}`, { accept: 'application/fhir+json' })).status, 200);
      const gz = await fetch(`${base}/Practitioner?_count=100`, { headers: { 'accept-encoding': 'gzip' } });
      assert.equal(gz.headers.get('content-encoding'), 'gzip');
      assert.equal((await fetch(`${base}/nothing-here`)).status, 404);
    });
  });

  describe(`FHIR API paging through chains and reverse chains, on ${engine}`, () => {
    it('walks a chain, a _has and a token with a _has both ways, each match once, pinned to a release', async () => {
      const t = await factory();
      const { app, base } = await serve(t.store);
      const city = (i: number): string => (i % 2 === 0 ? 'PARIS' : 'LYON');
      const orgs = Array.from({ length: 12 }, (_, i) =>
        org(`F69${String(i).padStart(7, '0')}`, `STRUCTURE ${i}`, city(i), i % 2 === 0 ? '75001' : '69001'),
      );
      const people = Array.from({ length: 40 }, (_, i) =>
        practitioner(
          `5${String(i).padStart(10, '0')}`,
          `CHAIN${i}`,
          'X',
          profession(i % 3 === 0 ? '10' : '60'),
        ),
      );
      // Every practitioner works somewhere; the first 20 in a second structure too (a reverse chain can reach
      // one practitioner through two roles, and must return it once).
      const roles = [
        ...people.map((p, i) => role(`RC${String(i).padStart(2, '0')}`, p.id, orgs[i % 12]!.id)),
        ...people
          .slice(0, 20)
          .map((p, i) => role(`RD${String(i).padStart(2, '0')}`, p.id, orgs[(i + 1) % 12]!.id)),
      ];
      const inParis = new Set(orgs.filter((_, i) => city(i) === 'PARIS').map((o) => o.id));
      const organizationOf = (r: Resource): string =>
        (r['organization'] as { reference: string }).reference.split('/')[1]!;
      const practitionerOf = (r: Resource): string =>
        (r['practitioner'] as { reference: string }).reference.split('/')[1]!;
      const parisRoles = roles.filter((r) => inParis.has(organizationOf(r)));
      const parisPeople = [...new Set(parisRoles.map(practitionerOf))];
      const doctors = new Set(people.filter((_, i) => i % 3 === 0).map((p) => p.id));
      const searches: [string, string[]][] = [
        ['PractitionerRole?organization.address-city=paris', parisRoles.map((r) => r.id)],
        ['Practitioner?_has:PractitionerRole:practitioner:organization.address-city=paris', parisPeople],
        [
          `Practitioner?qualification-code=10&_has:PractitionerRole:practitioner:organization.address-city=paris`,
          parisPeople.filter((id) => doctors.has(id)),
        ],
      ];
      /** The pages from `start` following `rel`, each page's ids in its order; and the first page. */
      const walk = async (start: string, rel: 'next' | 'previous'): Promise<[string[][], Json]> => {
        const pages: string[][] = [];
        let page = (await fetch(start).then((x) => x.json())) as Json;
        const first = page;
        for (;;) {
          pages.push((page.entry ?? []).map((e: Json) => e.resource.id as string));
          const url = page.link.find((l: Json) => l.relation === rel)?.url as string | undefined;
          if (!url) {
            return [pages, first];
          }
          page = (await fetch(url).then((x) => x.json())) as Json;
        }
      };
      try {
        const w1 = await t.store.beginRelease({ source: 'one' });
        await w1.put([...orgs, ...people, ...roles]);
        await w1.commit();
        for (const [search, expected] of searches) {
          assert.ok(expected.length > 8, `${search}: a search of several pages`);
          const [pages, first] = await walk(`${base}/${search}&_count=4`, 'next');
          const forwards = pages.flat();
          assert.equal(first.total, expected.length, search);
          assert.equal(new Set(forwards).size, forwards.length, `${search}: each match once`);
          assert.deepEqual([...forwards].sort(), [...expected].sort(), search);
          const last = first.link.find((l: Json) => l.relation === 'last').url as string;
          const [backwards] = await walk(last, 'previous');
          assert.deepEqual(backwards.reverse().flat(), forwards, `${search}: from the last page back`);
        }
        // Pinned: after the first page, a release moves one Paris structure to Lyon and one Lyon structure to
        // Paris; the rest of the walk still sees the first release.
        for (const [search, expected] of searches) {
          let page = (await fetch(`${base}/${search}&_count=4`).then((x) => x.json())) as Json;
          const seen: string[] = page.entry.map((e: Json) => e.resource.id);
          const w = await t.store.beginRelease({ source: 'moves' });
          await w.put([
            org(orgs[0]!.id, 'STRUCTURE 0', 'LYON', '69001'),
            org(orgs[1]!.id, 'STRUCTURE 1', 'PARIS', '75001'),
          ]);
          await w.commit();
          let next = page.link.find((l: Json) => l.relation === 'next')?.url;
          while (next) {
            page = (await fetch(next).then((x) => x.json())) as Json;
            seen.push(...page.entry.map((e: Json) => e.resource.id));
            next = page.link.find((l: Json) => l.relation === 'next')?.url;
          }
          assert.deepEqual([...seen].sort(), [...expected].sort(), `${search}, pinned`);
          const back = await t.store.beginRelease({ source: 'back' });
          await back.put([orgs[0]!, orgs[1]!]);
          await back.commit();
        }
      } finally {
        await app.close();
        await t.dispose();
      }
    });
  });

  describe(`FHIR API paging through chains driven from their targets, on ${engine}`, () => {
    /** The pages from `start` following `rel`, each page's ids in its order; and the first page. */
    const walk = async (start: string, rel: 'next' | 'previous'): Promise<[string[][], Json]> => {
      const pages: string[][] = [];
      let page = (await fetch(start).then((x) => x.json())) as Json;
      const first = page;
      for (;;) {
        assert.equal(page.resourceType, 'Bundle', JSON.stringify(page));
        pages.push((page.entry ?? []).map((e: Json) => e.resource.id as string));
        const url = page.link.find((l: Json) => l.relation === rel)?.url as string | undefined;
        if (!url) {
          return [pages, first];
        }
        page = (await fetch(url).then((x) => x.json())) as Json;
      }
    };
    /** Walks `search` forwards and back from its last page: each expected match once, the total right. */
    const checkWalk = async (base: string, search: string, expected: readonly string[]): Promise<void> => {
      assert.ok(expected.length > 8, `${search}: a search of several pages`);
      const [pages, first] = await walk(`${base}/${search}&_count=4`, 'next');
      const forwards = pages.flat();
      assert.equal(first.total, expected.length, search);
      assert.equal(new Set(forwards).size, forwards.length, `${search}: each match once`);
      assert.deepEqual([...forwards].sort(), [...expected].sort(), search);
      const last = first.link.find((l: Json) => l.relation === 'last').url as string;
      const [backwards] = await walk(last, 'previous');
      assert.deepEqual(backwards.reverse().flat(), forwards, `${search}: from the last page back`);
    };
    const coded = (r: Resource, code: string): Resource => ({
      ...r,
      code: [{ coding: [{ system: G15, code }] }],
    });

    it('lists a role at two locations of the city once, and a profession in a city', async () => {
      await served(factory, async (t, base) => {
        const city = (i: number): string => (i % 3 === 0 ? 'LYON' : 'PARIS');
        const places = Array.from({ length: 9 }, (_, i) => ({
          resourceType: 'Location',
          id: `L${i}`,
          status: 'active',
          name: `SITE ${i}`,
          address: { city: city(i) },
        }));
        const orgs = Array.from({ length: 6 }, (_, i) =>
          org(`F75${String(i).padStart(7, '0')}`, `STRUCTURE ${i}`, city(i), '75001'),
        );
        // Each role at two locations: (i, i + 1) and (i, i + 4), so that many have both in Paris.
        const roles: Resource[] = Array.from({ length: 30 }, (_, i) => ({
          ...coded(
            role(
              `RL${String(i).padStart(2, '0')}`,
              `8100000000${String(i).padStart(2, '0')}`,
              orgs[i % 6]!.id,
            ),
            i % 2 === 0 ? '10' : '60',
          ),
          location: [
            { reference: `Location/L${i % 9}` },
            { reference: `Location/L${(i + (i % 2 === 0 ? 1 : 4)) % 9}` },
          ],
        }));
        const w = await t.store.beginRelease({ source: 'one' });
        await w.put([...places, ...orgs, ...roles] as Resource[]);
        await w.commit();
        const locations = (r: Resource): string[] =>
          (r['location'] as { reference: string }[]).map((l) => l.reference.split('/')[1]!);
        const inParis = (id: string): boolean => city(Number(id.slice(1))) === 'PARIS';
        const atParis = roles.filter((r) => locations(r).some(inParis));
        assert.ok(
          atParis.some((r) => locations(r).every(inParis)),
          'some roles have both locations in Paris',
        );
        await checkWalk(
          base,
          'PractitionerRole?location.address-city=paris',
          atParis.map((r) => r.id),
        );
        const parisOrgs = new Set(orgs.filter((_, i) => city(i) === 'PARIS').map((o) => o.id));
        const doctorsInParis = roles.filter(
          (r, i) =>
            i % 2 === 0 &&
            parisOrgs.has((r['organization'] as { reference: string }).reference.split('/')[1]!),
        );
        await checkWalk(
          base,
          `PractitionerRole?role=${G15}|10&organization.address-city=paris`,
          doctorsInParis.map((r) => r.id),
        );
      });
    });

    it('pages a name prefix or :contains alone by name, both ways, as of its first page', async () => {
      await served(factory, async (t, base) => {
        // Several names under the prefix, some in several written forms (one folded value, several terms).
        const names = ['DUPONT', 'Dupont', 'DUPOND', 'DUPUIS', 'Dupuis', 'DUPRÉ', 'DUPRE', 'DURAND'];
        const people = Array.from({ length: 36 }, (_, i) =>
          practitioner(`6${String(i).padStart(10, '0')}`, names[i % names.length]!, 'X'),
        );
        const w = await t.store.beginRelease({ source: 'one' });
        await w.put(people);
        await w.commit();
        const expected = people.filter((p) => !/^dur/i.test((p['name'] as { family: string }[])[0]!.family));
        await checkWalk(
          base,
          'Practitioner?family=dup',
          expected.map((p) => p.id),
        );
        const [pages] = await walk(`${base}/Practitioner?family=dup&_count=5`, 'next');
        const families = pages
          .flat()
          .map((id) => (people.find((p) => p.id === id)!['name'] as { family: string }[])[0]!.family);
        const folded = families.map((f) => f.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase());
        if (engine === 'sqlite') {
          // SQLite pages a prefix term by term (search-sql.ts byTerm); PostgreSQL's natural order is the id.
          assert.deepEqual(folded, [...folded].sort(), 'in the order of the folded names');
        }
        // Pinned: a release that renames a match out of the prefix and adds one; the walk keeps the first.
        let page = (await fetch(`${base}/Practitioner?family=dup&_count=5`).then((x) => x.json())) as Json;
        const seen: string[] = page.entry.map((e: Json) => e.resource.id);
        const w2 = await t.store.beginRelease({ source: 'two' });
        await w2.put([
          practitioner(`6${String(35).padStart(10, '0')}`, 'MARTIN', 'X'),
          practitioner(`7${String(1).padStart(10, '0')}`, 'DUPONT', 'Y'),
        ]);
        await w2.commit();
        let next = page.link.find((l: Json) => l.relation === 'next')?.url;
        while (next) {
          page = (await fetch(next).then((x) => x.json())) as Json;
          seen.push(...page.entry.map((e: Json) => e.resource.id));
          next = page.link.find((l: Json) => l.relation === 'next')?.url;
        }
        assert.deepEqual([...seen].sort(), expected.map((p) => p.id).sort(), 'pinned');
      });
    });

    it('answers a _has on one reference from the reference rows, as of the release', async () => {
      await served(factory, async (t, base) => {
        const orgs = ['F790000001', 'F790000002', 'F790000003'].map((id, i) =>
          org(id, `S ${i}`, 'NIORT', '79000'),
        );
        const people = Array.from({ length: 24 }, (_, i) =>
          practitioner(`9${String(i).padStart(10, '0')}`, `HAS${i}`, 'X'),
        );
        // Person i works at structure i % 3; the first six also at structure (i + 1) % 3.
        const roles = [
          ...people.map((p, i) => role(`RH${String(i).padStart(2, '0')}`, p.id, orgs[i % 3]!.id)),
          ...people
            .slice(0, 6)
            .map((p, i) => role(`RI${String(i).padStart(2, '0')}`, p.id, orgs[(i + 1) % 3]!.id)),
        ];
        const w = await t.store.beginRelease({ source: 'one' });
        await w.put([...orgs, ...people, ...roles]);
        await w.commit();
        const at = (r: Resource): string => (r['organization'] as { reference: string }).reference;
        const who = (r: Resource): string =>
          (r['practitioner'] as { reference: string }).reference.split('/')[1]!;
        const expected = (list: Resource[]): string[] => [
          ...new Set(
            list.filter((r) => [orgs[0], orgs[1]].some((o) => at(r) === `Organization/${o!.id}`)).map(who),
          ),
        ];
        const search = `Practitioner?_has:PractitionerRole:practitioner:organization=Organization/${orgs[0]!.id},Organization/${orgs[1]!.id}`;
        await checkWalk(base, search, expected(roles));
        // A deleted role no longer counts, and a search pinned to the release before still sees it.
        const before = (await fetch(`${base}/${search}&_count=4`).then((x) => x.json())) as Json;
        const gone = roles.find((r) => r.id === 'RH06')!;
        const w2 = await t.store.beginRelease({ source: 'two' });
        assert.ok(await w2.remove('PractitionerRole', gone.id));
        await w2.commit();
        const after = expected(roles.filter((r) => r !== gone));
        assert.ok(!after.includes(who(gone)), "the deleted role was its practitioner's only one there");
        await checkWalk(base, search, after);
        const pinned: string[] = [];
        let page = before;
        for (;;) {
          pinned.push(...page.entry.map((e: Json) => e.resource.id as string));
          const next = page.link.find((l: Json) => l.relation === 'next')?.url as string | undefined;
          if (!next) {
            break;
          }
          page = (await fetch(next).then((x) => x.json())) as Json;
        }
        assert.deepEqual(pinned.sort(), expected(roles).sort(), 'pinned to the first release');
      });
    });

    it('pages a profession in a city that has more than a thousand structures', async () => {
      await served(factory, async (t, base) => {
        // More structures than a page checks as a list (search-sql.ts BROAD_CHAIN): roles are then checked
        // one by one against the chain's targets.
        const orgs = Array.from({ length: 1030 }, (_, i) =>
          org(`F76${String(i).padStart(7, '0')}`, `SITE ${i}`, i < 1010 ? 'PARIS' : 'LYON', '75001'),
        );
        const roles = Array.from({ length: 60 }, (_, i) =>
          coded(
            role(
              `RB${String(i).padStart(2, '0')}`,
              `8100000001${String(i).padStart(2, '0')}`,
              orgs[i * 17]!.id,
            ),
            i % 3 === 0 ? '60' : '10',
          ),
        );
        const w = await t.store.beginRelease({ source: 'one' });
        await w.put([...orgs, ...roles]);
        await w.commit();
        const expected = roles.filter((_, i) => i % 3 !== 0 && i * 17 < 1010).map((r) => r.id);
        await checkWalk(base, `PractitionerRole?role=${G15}|10&organization.address-city=paris`, expected);
        await checkWalk(
          base,
          'PractitionerRole?organization.address-city=paris',
          roles.filter((_, i) => i * 17 < 1010).map((r) => r.id),
        );
      });
    });
  });

  describe(`FHIR API _revinclude bounded per page, on ${engine}`, () => {
    it('includes each match with all that refer to it or none, and says which are left out', async () => {
      await served(factory, async (t, base) => {
        const [a, b, c] = ['F780000001', 'F780000002', 'F780000003'].map((id, i) =>
          org(id, `STRUCTURE ${i}`, 'NANTES', '44000'),
        ) as [Resource, Resource, Resource];
        const rolesOf = (o: Resource, n: number, tag: string): Resource[] =>
          Array.from({ length: n }, (_, i) =>
            role(
              `RV${tag}${String(i).padStart(4, '0')}`,
              `8100000002${String(i % 90).padStart(2, '0')}`,
              o.id,
            ),
          );
        const big = rolesOf(a, MAX_REVINCLUDED + 1, 'A');
        const small = [...rolesOf(b, 3, 'B'), ...rolesOf(c, 2, 'C')];
        const w = await t.store.beginRelease({ source: 'one' });
        await w.put([a, b, c, ...big, ...small]);
        await w.commit();
        const get = async (path: string): Promise<Json> =>
          (await fetch(`${base}/${path}`).then((x) => x.json())) as Json;
        const search = `Organization?_id=${a.id},${b.id},${c.id}&_revinclude=PractitionerRole:organization`;
        const page = await get(search);
        const included = page.entry
          .filter((e: Json) => e.search.mode === 'include')
          .map((e: Json) => e.resource.id);
        assert.deepEqual(
          [...included].sort(),
          small.map((r) => r.id).sort(),
          'the structures whose roles fit',
        );
        const outcomes = page.entry.filter((e: Json) => e.search.mode === 'outcome');
        assert.equal(outcomes.length, 1);
        const issue = outcomes[0].resource.issue[0];
        assert.equal(issue.code, 'incomplete');
        assert.match(
          issue.diagnostics,
          new RegExp(`PractitionerRole\\?organization=Organization/${a.id}\\b`),
        );
        // The search the outcome names lists the roles left out.
        assert.equal(
          (await get(`PractitionerRole?organization=Organization/${a.id}&_summary=count`)).total,
          big.length,
        );
        // A page whose referring resources fit includes them all, without an outcome.
        const fits = await get(`Organization?_id=${b.id},${c.id}&_revinclude=PractitionerRole:organization`);
        assert.equal(fits.entry.filter((e: Json) => e.search.mode === 'include').length, small.length);
        assert.ok(!fits.entry.some((e: Json) => e.search.mode === 'outcome'));
      });
    });
  });

  describe(`FHIR API paging pinned to a release, on ${engine}`, () => {
    it('walking all pages while a release commits returns each match once, as of the first page', async () => {
      await served(factory, async (t, base) => {
        const people = Array.from({ length: 40 }, (_, i) =>
          practitioner(`3${String(i).padStart(10, '0')}`, `PIN${String(i).padStart(2, '0')}`, 'X'),
        );
        const w1 = await t.store.beginRelease({ source: 'one' });
        await w1.put(people);
        await w1.commit();
        for (const sort of ['', '&_sort=family', '&_sort=-_lastUpdated']) {
          let page = (await fetch(`${base}/Practitioner?family=pin&_count=6${sort}`).then((x) =>
            x.json(),
          )) as Json;
          const seen: string[] = page.entry.map((e: Json) => e.resource.id);
          // A newer release: one match removed, one renamed out of the search, one added, one renamed into it.
          const w = await t.store.beginRelease({ source: 'two' });
          await w.remove('Practitioner', people[39]!.id);
          const added = practitioner(`4${String(sort.length).padStart(10, '0')}`, 'PINNEW', 'X');
          await w.put([practitioner(`3${String(1).padStart(10, '0')}`, 'AUTRE', 'X'), added]);
          await w.commit();
          let next = page.link.find((l: Json) => l.relation === 'next')?.url;
          while (next) {
            page = (await fetch(next).then((x) => x.json())) as Json;
            seen.push(...page.entry.map((e: Json) => e.resource.id));
            next = page.link.find((l: Json) => l.relation === 'next')?.url;
          }
          assert.equal(page.total, 40, sort);
          assert.deepEqual([...seen].sort(), people.map((p) => p.id).sort(), sort);
          // Put the directory back as it was for the next order.
          const back = await t.store.beginRelease({ source: 'back' });
          await back.put(people);
          assert.ok(await back.remove('Practitioner', added.id));
          await back.commit();
        }
      });
    });
  });
}
