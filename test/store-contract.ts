/**
 * The Store contract: the same cases run on every engine (store-sqlite.test.ts, store-postgres.test.ts).
 * Each case opens a fresh store on real files or a real server.
 */
import * as assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { practitionerId, practitionerRoleId } from '../src/domain/resource-ids.js';
import { AnnuaireError } from '../src/error.js';
import { createIndexer, INDEXER_VERSION } from '../src/fhir/search/indexer.js';
import { SEARCH_PARAMETERS } from '../src/fhir/search/search-parameters.js';
import { openStore } from '../src/store/open.js';
import type {
  IndexMatch,
  Resource,
  SearchCondition,
  SearchQuery,
  SearchSort,
  Store,
} from '../src/store/store.js';
import { organization, practitioner } from './support/resources.js';
import type { StoreFactory, TestStore } from './support/stores.js';
import { mayHoldRestricted } from '../src/fhir/perimeter.js';

const family = (code: string, norm: string) => ({ kind: 'string', code, mode: 'prefix', norm }) as const;

async function commitRelease(store: Store, resources: Resource[], source = 'test'): Promise<number> {
  const w = await store.beginRelease({ source });
  await w.put(resources);
  return (await w.commit()).id;
}

function parsed(json: string | undefined): Record<string, unknown> {
  assert.ok(json, 'expected a stored resource');
  return JSON.parse(json) as Record<string, unknown>;
}

export function storeContract(engine: string, factory: StoreFactory): void {
  describe(`Store contract on ${engine}`, () => {
    let t: TestStore;
    let store: Store;
    beforeEach(async () => {
      t = await factory();
      store = t.store;
    });
    afterEach(async () => {
      await t.dispose();
    });

    it('starts empty at the latest schema version and migrating again changes nothing', async () => {
      const info = await store.info();
      assert.equal(info.engine, engine);
      assert.equal(info.schemaVersion, info.latestSchemaVersion);
      assert.equal(info.currentRelease, 0);
      assert.deepEqual(info.counts, {});
      assert.deepEqual(await store.migrate(), { from: info.schemaVersion, to: info.schemaVersion });
    });

    it('writes a resource and serves its JSON with versionId and lastUpdated', async () => {
      const timestamp = new Date('2026-11-22T08:00:00.000Z');
      const w = await store.beginRelease({ source: 'test', timestamp, checksums: { 'a.txt': 'abc' } });
      assert.deepEqual(await w.put([practitioner('10000000008', 'DUPONT', 'JEAN')]), ['added']);
      const release = await w.commit({ counts: { read: 1 } });
      assert.equal(release.id, 1);
      assert.deepEqual(release.counts, {
        read: 1,
        added: 1,
        changed: 0,
        deactivated: 0,
        unchanged: 0,
        rejected: 0,
        deleted: 0,
      });
      assert.deepEqual(release.checksums, { 'a.txt': 'abc' });

      const stored = await store.read('Practitioner', '810000000008');
      assert.ok(stored);
      assert.equal(stored.versionId, 1);
      assert.equal(stored.release, 1);
      assert.equal(stored.lastUpdated, timestamp.toISOString());
      const json = parsed(stored.json);
      assert.deepEqual(json['meta'], {
        versionId: '1',
        lastUpdated: timestamp.toISOString(),
        profile: ['https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition/as-dp-practitioner'],
      });
      const { meta: _m, ...rest } = json;
      const { meta: _n, ...expected } = practitioner('10000000008', 'DUPONT', 'JEAN');
      assert.deepEqual(rest, expected);
      assert.deepEqual(await store.read('Practitioner', 'nope'), undefined);
      const [r] = await store.releases();
      assert.equal(r?.source, 'test');
    });

    it('re-importing the same content creates no new version; a change creates one', async () => {
      const a = practitioner('10000000008', 'DUPONT', 'JEAN');
      await commitRelease(store, [a]);
      const w = await store.beginRelease({ source: 'again' });
      assert.deepEqual(await w.put([a]), ['unchanged']);
      const r2 = await w.commit();
      assert.equal(r2.counts.unchanged, 1);
      assert.equal((await store.read('Practitioner', a.id))?.versionId, 1);

      await commitRelease(store, [practitioner('10000000008', 'DUPONT', 'JEANNE')]);
      const history = await store.history('Practitioner', a.id);
      assert.deepEqual(
        history.map((v) => [v.versionId, v.release]),
        [
          [2, 3],
          [1, 1],
        ],
      );
      const v1 = await store.vread('Practitioner', a.id, 1);
      assert.deepEqual((parsed(v1?.json)['name'] as { given: string[] }[])[0]?.given, ['JEAN']);
      // Version 1 was current in releases 1 and 2, replaced in 3; version 2 is current.
      assert.equal(v1?.replacedIn, 3);
      assert.equal(history[0]?.replacedIn, undefined);
      assert.deepEqual(
        (await store.changes({ id: a.id, limit: 10 })).map((v) => v.replacedIn),
        [3, undefined],
      );
      assert.equal(parsed((await store.read('Practitioner', a.id))?.json)['meta'] !== undefined, true);
      assert.equal(await store.vread('Practitioner', a.id, 3), undefined);
    });

    it('a rolled-back release leaves no trace', async () => {
      await commitRelease(store, [practitioner('10000000008', 'DUPONT', 'JEAN')]);
      const before = await store.info();
      const w = await store.beginRelease({ source: 'aborted' });
      await w.put([
        practitioner('10000000008', 'DURAND', 'JEAN'),
        practitioner('10000000016', 'MARTIN', 'LUC'),
      ]);
      await w.rollback();
      assert.deepEqual(await store.info(), before);
      assert.equal((await store.releases()).length, 1);
      assert.equal(await store.read('Practitioner', '810000000016'), undefined);
      assert.deepEqual(await store.find('Practitioner', family('family', 'durand')), []);
      assert.equal((await store.changes({ limit: 10 })).length, 1);
      // The next release takes the number the rolled-back one had.
      assert.equal(await commitRelease(store, [practitioner('10000000016', 'MARTIN', 'LUC')]), 2);
    });

    it('a release that fails is refused at commit and rolls back whole', async () => {
      const w = await store.beginRelease({ source: 'bad' });
      await w.put([practitioner('10000000008', 'DUPONT', 'JEAN')]);
      await assert.rejects(
        w.put([{ resourceType: 'Practitioner', id: 'not a valid id!' }]),
        /not a valid FHIR id/,
      );
      await assert.rejects(w.commit(), /can only be rolled back/);
      await w.rollback();
      assert.equal(await store.currentRelease(), 0);
      assert.equal(await store.read('Practitioner', '810000000008'), undefined);
    });

    it('only one release is open at a time', async () => {
      const w = await store.beginRelease({ source: 'first' });
      await assert.rejects(store.beginRelease({ source: 'second' }), /already being written/);
      await w.rollback();
      const w2 = await store.beginRelease({ source: 'third' });
      await w2.rollback();
    });

    it('reads as of an older release while a newer one commits', async () => {
      const r1 = await commitRelease(store, [practitioner('10000000008', 'DUPONT', 'JEAN')]);
      const other = await t.reopen();
      try {
        const w = await store.beginRelease({ source: 'r2' });
        await w.put([
          practitioner('10000000008', 'DURAND', 'JEAN'),
          practitioner('10000000016', 'DURAS', 'LUC'),
        ]);
        // Before commit, readers (this store and another process) see release 1 only.
        for (const s of [store, other]) {
          assert.equal(await s.currentRelease(), r1);
          assert.equal((await s.read('Practitioner', '810000000008'))?.versionId, 1);
          assert.deepEqual(await s.find('Practitioner', family('family', 'dur')), []);
          assert.deepEqual(await s.find('Practitioner', family('family', 'dup')), ['810000000008']);
        }
        const r2 = (await w.commit()).id;
        for (const s of [store, other]) {
          assert.deepEqual(await s.find('Practitioner', family('family', 'dur')), [
            '810000000008',
            '810000000016',
          ]);
          assert.deepEqual(await s.find('Practitioner', family('family', 'dup')), []);
          assert.deepEqual(await s.find('Practitioner', family('family', 'dup'), { asOf: r1 }), [
            '810000000008',
          ]);
          assert.deepEqual(await s.find('Practitioner', family('family', 'dur'), { asOf: r1 }), []);
          assert.equal((await s.read('Practitioner', '810000000008', { asOf: r1 }))?.versionId, 1);
          assert.equal((await s.read('Practitioner', '810000000008', { asOf: r2 }))?.versionId, 2);
          assert.equal(await s.read('Practitioner', '810000000016', { asOf: r1 }), undefined);
        }
        await assert.rejects(
          store.find('Practitioner', family('family', 'd'), { asOf: 9 }),
          /does not exist/,
        );
      } finally {
        await other.close();
      }
    });

    it('index lookups: prefix, exact, accent-folded, token with and without system, reference', async () => {
      await commitRelease(store, [
        practitioner('10000000008', 'LEFÈVRE', 'HÉLÈNE'),
        practitioner('10000000016', 'LEFEBVRE', 'JÉRÔME'),
        organization('010000024', 'CH DE FLEYRIAT', 'VIRIAT'),
        {
          resourceType: 'PractitionerRole',
          id: 'role-1',
          practitioner: { reference: 'Practitioner/810000000008' },
          organization: { reference: 'Organization/F010000024' },
        },
      ]);
      assert.deepEqual(await store.find('Practitioner', family('family', 'lef')), [
        '810000000008',
        '810000000016',
      ]);
      assert.deepEqual(await store.find('Practitioner', family('family', 'lefe')), [
        '810000000008',
        '810000000016',
      ]);
      assert.deepEqual(await store.find('Practitioner', family('family', 'lefev')), ['810000000008']);
      assert.deepEqual(await store.find('Practitioner', family('given', 'helene')), ['810000000008']);
      const exact = { kind: 'string', code: 'family', mode: 'equals', norm: 'lefevre' } as const;
      assert.deepEqual(await store.find('Practitioner', { ...exact, exact: 'LEFÈVRE' }), ['810000000008']);
      assert.deepEqual(await store.find('Practitioner', { ...exact, exact: 'LEFEVRE' }), []);
      assert.deepEqual(
        await store.find('Practitioner', { kind: 'token', code: 'identifier', value: '10000000016' }),
        ['810000000016'],
      );
      const rpps = { kind: 'token', code: 'identifier', value: '10000000016' } as const;
      assert.deepEqual(await store.find('Practitioner', { ...rpps, system: 'https://rpps.esante.gouv.fr' }), [
        '810000000016',
      ]);
      assert.deepEqual(
        await store.find('Practitioner', { ...rpps, system: 'urn:oid:1.2.250.1.71.4.2.1' }),
        [],
      );
      assert.deepEqual(
        await store.find('PractitionerRole', {
          kind: 'reference',
          code: 'organization',
          target: 'Organization/F010000024',
        }),
        ['role-1'],
      );
      assert.deepEqual(await store.find('Organization', family('address-city', 'viri')), ['F010000024']);
      const typed = practitioner('10000000024', 'TYPE', 'ID', {
        identifier: [
          { type: { coding: [{ system: 'https://t', code: 'RPPS' }] }, system: 'https://rpps', value: 'X1' },
        ],
      });
      await commitRelease(store, [typed]);
      const ofType = { kind: 'token', code: 'identifier', value: 'X1', type: 'https://t|RPPS' } as const;
      assert.deepEqual(await store.find('Practitioner', ofType), [typed.id]);
      assert.deepEqual(await store.find('Practitioner', { ...ofType, system: 'https://rpps' }), [typed.id]);
      assert.deepEqual(await store.find('Practitioner', { ...ofType, type: 'https://t|IDNPS' }), []);
      assert.deepEqual(await store.find('Organization', family('unknown-param', 'x')), []);
    });

    it('searches: AND of ORs, negation, contains, presence, ids, active, dates; keyset pages; counts', async () => {
      const people = [
        practitioner('10000000008', 'LEFÈVRE', 'HÉLÈNE'),
        practitioner('10000000016', 'LEFEBVRE', 'JÉRÔME'),
        practitioner('10000000024', 'MARTIN', 'ANNE', { active: false }),
        practitioner('10000000032', 'DUMARTINET', 'PAUL', {
          telecom: [{ system: 'email', value: 'p@x.mssante.fr' }],
        }),
        practitioner('10000000040', 'BERNARD', 'LÉA'),
      ];
      const r1 = await commitRelease(store, people);
      const ids = async (where: SearchCondition[], extra: Partial<SearchQuery> = {}): Promise<string[]> =>
        (await store.search({ resourceType: 'Practitioner', where, asOf: r1, limit: 100, ...extra })).versions
          .map((v) => v.id)
          .sort();
      const str = (code: string, norm: string, mode: 'prefix' | 'equals' | 'contains' = 'prefix') =>
        ({ kind: 'string', code, mode, norm }) as const;
      const any = (...m: IndexMatch[]): SearchCondition => ({ kind: 'match', any: m });
      const all = people.map((p) => p.id).sort();
      assert.deepEqual(await ids([]), all);
      assert.deepEqual(await ids([any(str('family', 'lef'))]), ['810000000008', '810000000016']);
      // OR within a condition, AND between conditions.
      assert.deepEqual(await ids([any(str('family', 'lef'), str('family', 'mart'))]), [
        '810000000008',
        '810000000016',
        '810000000024',
      ]);
      assert.deepEqual(await ids([any(str('family', 'lef')), any(str('given', 'jer'))]), ['810000000016']);
      assert.deepEqual(
        await ids([any(str('family', 'lef')), { kind: 'match', any: [str('given', 'jer')], not: true }]),
        ['810000000008'],
      );
      assert.deepEqual(await ids([{ kind: 'match', any: [str('family', 'lef')], not: true }]), [
        '810000000024',
        '810000000032',
        '810000000040',
      ]);
      // Contains: anywhere in the folded value, from the index.
      assert.deepEqual(await ids([any(str('family', 'artin', 'contains'))]), [
        '810000000024',
        '810000000032',
      ]);
      assert.deepEqual(await ids([any(str('family', 'fev', 'contains'))]), ['810000000008']);
      assert.deepEqual(await ids([any(str('family', 'zzz', 'contains'))]), []);
      // Presence of any entry of a parameter.
      const mail = { kind: 'present', code: 'mailbox-mss', index: 'string' } as const;
      assert.deepEqual(await ids([{ ...mail, present: true }]), ['810000000032']);
      assert.equal((await ids([{ ...mail, present: false }])).length, 4);
      assert.deepEqual(await ids([{ kind: 'id', ids: ['810000000040', 'nope'] }]), ['810000000040']);
      assert.deepEqual(
        await ids([{ kind: 'id', ids: ['810000000040'], not: true }]).then((x) => x.length),
        4,
      );
      assert.deepEqual(await ids([{ kind: 'active', value: false }]), ['810000000024']);
      const lastUpdated = (await store.read('Practitioner', '810000000008'))!.lastUpdated;
      const after = new Date(Date.parse(lastUpdated) + 1).toISOString();
      assert.equal((await ids([{ kind: 'lastUpdated', ranges: [{ low: lastUpdated }] }])).length, 5);
      assert.deepEqual(await ids([{ kind: 'lastUpdated', ranges: [{ low: after }] }]), []);
      assert.equal(
        (await ids([{ kind: 'lastUpdated', ranges: [{ low: after }, { high: after }] }])).length,
        5,
      );
      assert.deepEqual(await ids([{ kind: 'lastUpdated', ranges: [{ high: after }], not: true }]), []);
      assert.equal(
        await store.count({
          resourceType: 'Practitioner',
          where: [any(str('family', 'lef'))],
          asOf: r1,
          limit: 0,
        }),
        2,
      );

      // Keyset pages in every order: each match exactly once, in order, whatever the page size.
      const walk = async (where: SearchCondition[], sort: SearchSort, asOf = r1): Promise<string[]> => {
        const seen: string[] = [];
        let after: string | undefined;
        do {
          const page = await store.search({
            resourceType: 'Practitioner',
            where,
            asOf,
            sort,
            limit: 2,
            ...(after ? { after } : {}),
          });
          assert.ok(page.versions.length <= 2);
          seen.push(...page.versions.map((v) => v.id));
          after = page.after;
        } while (after !== undefined);
        return seen;
      };
      assert.deepEqual(await walk([], { by: 'id' }), all);
      assert.deepEqual(await walk([], { by: 'id', desc: true }), [...all].reverse());
      assert.deepEqual((await walk([], { by: 'natural' })).sort(), all);
      assert.deepEqual((await walk([any(str('family', ''))], { by: 'seq' })).sort(), all);
      const families = await walk([], { by: 'text', path: ['name', 0, 'family'] });
      assert.deepEqual(families, [
        '810000000040',
        '810000000032',
        '810000000016',
        '810000000008',
        '810000000024',
      ]);
      assert.deepEqual(
        await walk([], { by: 'text', path: ['name', 0, 'family'], desc: true }),
        [...families].reverse(),
      );
      // Backwards from the last page, by `before`: the same matches in the same order.
      for (const sort of [
        { by: 'id' },
        { by: 'text', path: ['name', 0, 'family'] },
        { by: 'natural' },
      ] as const) {
        const forwards = await walk([], sort);
        const pages: string[][] = [];
        let page = await store.search({
          resourceType: 'Practitioner',
          where: [],
          asOf: r1,
          sort,
          limit: 2,
          fromEnd: true,
        });
        pages.unshift(page.versions.map((v) => v.id));
        assert.equal(page.after, undefined);
        while (page.before !== undefined) {
          page = await store.search({
            resourceType: 'Practitioner',
            where: [],
            asOf: r1,
            sort,
            limit: 2,
            before: page.before,
          });
          pages.unshift(page.versions.map((v) => v.id));
          assert.ok(page.after !== undefined);
        }
        assert.deepEqual(pages.flat(), forwards);
      }
      await assert.rejects(
        store.search({ resourceType: 'Practitioner', where: [], asOf: r1, limit: 2, after: 'garbage' }),
        (e: unknown) => e instanceof AnnuaireError && e.status === 400,
      );

      // A paged search pinned to its release sees that release while a newer one commits.
      const first = await store.search({
        resourceType: 'Practitioner',
        where: [any(str('family', 'lef'))],
        asOf: r1,
        limit: 1,
      });
      await commitRelease(store, [
        practitioner('10000000057', 'LEFORT', 'MARC'),
        practitioner('10000000008', 'ROUX', 'HÉLÈNE'),
      ]);
      const second = await store.search({
        resourceType: 'Practitioner',
        where: [any(str('family', 'lef'))],
        asOf: r1,
        limit: 10,
        after: first.after!,
      });
      assert.deepEqual([...first.versions, ...second.versions].map((v) => v.id).sort(), [
        '810000000008',
        '810000000016',
      ]);
      const now = await store.search({
        resourceType: 'Practitioner',
        where: [any(str('family', 'lef'))],
        asOf: r1 + 1,
        limit: 10,
      });
      assert.deepEqual(now.versions.map((v) => v.id).sort(), ['810000000016', '810000000057']);
      // Counts as of each release, with a replaced version in the way (the index alone no longer counts).
      const lef = { resourceType: 'Practitioner', where: [any(str('family', 'lef'))], limit: 0 } as const;
      assert.equal(await store.count({ ...lef, asOf: r1 }), 2);
      assert.equal(await store.count({ ...lef, where: [], asOf: r1 }), 5);
      assert.equal(await store.count({ ...lef, where: [], asOf: r1 + 1 }), 6);
      assert.equal(await store.count({ ...lef, asOf: r1 + 1 }), 2);
      assert.equal(await store.count({ ...lef, where: [any(str('family', 'roux'))], asOf: r1 + 1 }), 1);
      assert.equal(await store.count({ ...lef, where: [any(str('family', 'roux'))], asOf: r1 }), 0);
    });

    it('refuses a release when the indexer changed, until reindex rebuilds the index', async () => {
      // An older program: the same store written by an indexer that did not know `family`.
      const older = createIndexer(SEARCH_PARAMETERS.filter((p) => p.code !== 'family'));
      const old = await openStore(t.url, { version: 'older', index: (r) => older.index(r) });
      const w = await old.beginRelease({ source: 'older program' });
      await w.put([
        practitioner('10000000008', 'LEFÈVRE', 'HÉLÈNE'),
        practitioner('10000000016', 'MARTIN', 'ANNE'),
      ]);
      const r1 = (await w.commit()).id;
      await old.close();
      const lef = { kind: 'string', code: 'family', mode: 'prefix', norm: 'lef' } as const;
      assert.deepEqual(await store.find('Practitioner', lef), []);
      await assert.rejects(store.beginRelease({ source: 'new program' }), /db reindex/);
      assert.deepEqual(await store.reindex(), { versions: 2 });
      assert.deepEqual(await store.find('Practitioner', lef), ['810000000008']);
      assert.deepEqual(await store.find('Practitioner', family('given', 'anne')), ['810000000016']);
      assert.equal((await store.info()).indexerVersion, INDEXER_VERSION);
      await commitRelease(store, [practitioner('10000000008', 'ROUX', 'HÉLÈNE')]);
      // The snapshot of the first release still answers as it was.
      assert.deepEqual(await store.find('Practitioner', lef, { asOf: r1 }), ['810000000008']);
      assert.deepEqual(await store.find('Practitioner', lef), []);
    });

    it('deactivates what a full extract no longer lists, with a new version', async () => {
      const a = practitioner('10000000008', 'DUPONT', 'JEAN');
      const b = practitioner('10000000016', 'MARTIN', 'LUC');
      await commitRelease(store, [a, b]);
      const w = await store.beginRelease({ source: 'full extract without b' });
      await w.put([a]);
      const absent: string[] = [];
      for await (const ids of w.absent('Practitioner', 1)) {
        absent.push(...ids);
        assert.deepEqual(
          await w.put(ids.map((id) => ({ resourceType: 'Practitioner', id, active: false }))),
          ['deactivated'],
        );
      }
      assert.deepEqual(absent, [b.id]);
      const release = await w.commit();
      assert.equal(release.counts.deactivated, 1);
      assert.equal(release.counts.unchanged, 1);
      const stored = await store.read('Practitioner', b.id);
      assert.ok(stored);
      assert.equal(stored.versionId, 2);
      assert.equal(stored.active, false);
      assert.equal(parsed(stored.json)['active'], false);
      assert.deepEqual(
        await store.find('Practitioner', family('family', 'martin')),
        [],
        'an inactive version has no rows',
      );
      assert.deepEqual(await store.find('Practitioner', family('family', 'martin'), { asOf: 1 }), [b.id]);
      assert.deepEqual((await store.info()).counts, { Practitioner: { total: 2, active: 1 } });
      // The deactivation is in the change feed.
      const feed = await store.changes({ afterSeq: 2, limit: 10 });
      assert.deepEqual(
        feed.map((v) => [v.id, v.versionId, v.active]),
        [[b.id, 2, false]],
      );
      // Nothing is absent in a release that lists everything active.
      const w2 = await store.beginRelease({ source: 'again' });
      await w2.put([a]);
      for await (const ids of w2.absent('Practitioner')) {
        assert.fail(`unexpected absent ids ${ids.join(',')}`);
      }
      await w2.rollback();
    });

    it('keeps ids stable: derived from business identifiers, unchanged across reloads', async () => {
      assert.equal(practitionerId('810000000008'), '810000000008');
      const key = {
        idNatPs: '810000000008',
        structureId: 'F010000024',
        profession: '10',
        role: 'FON-01',
        mode: 'S',
      };
      const roleId = practitionerRoleId(key);
      assert.equal(practitionerRoleId({ ...key }), roleId);
      assert.notEqual(practitionerRoleId({ ...key, mode: 'L' }), roleId);
      const role = { resourceType: 'PractitionerRole', id: roleId, active: true };
      await commitRelease(store, [role, practitioner('10000000008', 'DUPONT', 'JEAN')]);
      // A reload in another order, from another process, finds the same resources unchanged.
      const other = await t.reopen();
      try {
        const w = await other.beginRelease({ source: 'reload' });
        assert.deepEqual(await w.put([practitioner('10000000008', 'DUPONT', 'JEAN'), role]), [
          'unchanged',
          'unchanged',
        ]);
        await w.commit();
      } finally {
        await other.close();
      }
      assert.equal((await store.read('PractitionerRole', roleId))?.versionId, 1);
    });

    it('a resource put twice in one release gets one version with the last content', async () => {
      await commitRelease(store, [practitioner('10000000008', 'DUPONT', 'JEAN')]);
      const w = await store.beginRelease({ source: 'twice' });
      assert.deepEqual(
        await w.put([
          practitioner('10000000008', 'DURAND', 'JEAN'),
          practitioner('10000000008', 'DUMAS', 'JEAN'),
        ]),
        ['changed', 'changed'],
      );
      await w.put([practitioner('10000000008', 'DUBOIS', 'JEAN')]);
      await w.commit();
      assert.deepEqual(
        (await store.history('Practitioner', '810000000008')).map((v) => v.versionId),
        [2, 1],
      );
      assert.equal(
        (parsed((await store.read('Practitioner', '810000000008'))?.json)['name'] as { family: string }[])[0]
          ?.family,
        'DUBOIS',
      );
      for (const name of ['durand', 'dumas', 'dupont']) {
        assert.deepEqual(await store.find('Practitioner', family('family', name)), [], name);
      }
      assert.deepEqual(await store.find('Practitioner', family('family', 'dubois')), ['810000000008']);
      assert.deepEqual(await store.find('Practitioner', family('family', 'dupont'), { asOf: 1 }), [
        '810000000008',
      ]);
    });

    it('overlapping put() calls apply in the order given', async () => {
      const w = await store.beginRelease({ source: 'overlap' });
      // Not awaited one by one: each batch sees the ones given before it.
      const outcomes = await Promise.all([
        w.put([practitioner('10000000008', 'DUPONT', 'JEAN'), practitioner('10000000016', 'MARTIN', 'LUC')]),
        w.put([practitioner('10000000008', 'DURAND', 'JEAN')]),
        w.put([practitioner('10000000016', 'MARTIN', 'LUC')]),
      ]);
      assert.deepEqual(outcomes, [['added', 'added'], ['changed'], ['unchanged']]);
      await w.commit();
      assert.deepEqual(await store.find('Practitioner', family('family', 'durand')), ['810000000008']);
      assert.deepEqual(await store.find('Practitioner', family('family', 'dupont')), []);
      assert.deepEqual(
        (await store.history('Practitioner', '810000000008')).map((v) => v.versionId),
        [1],
      );
    });

    it('keeps the resources of an unchanged source unit without their content', async () => {
      const a = practitioner('10000000008', 'DUPONT', 'JEAN');
      const b = practitioner('10000000016', 'MARTIN', 'LUC');
      const gone = { ...practitioner('10000000024', 'PETIT', 'ANNE'), active: false };
      let w = await store.beginRelease({ source: 'units' });
      await w.put([a, b, gone]);
      await w.recordSourceUnits([
        { key: 'pa:810000000008', hash: 'h1', resources: [{ resourceType: 'Practitioner', id: a.id }] },
      ]);
      assert.deepEqual(
        [...(await w.sourceUnits(['pa:810000000008', 'pa:none'])).keys()],
        ['pa:810000000008'],
      );
      await w.commit();

      w = await store.beginRelease({ source: 'units again' });
      const units = await w.sourceUnits(['pa:810000000008']);
      assert.deepEqual(units.get('pa:810000000008'), {
        key: 'pa:810000000008',
        hash: 'h1',
        resources: [{ resourceType: 'Practitioner', id: a.id }],
      });
      assert.deepEqual(
        await w.activeOf([
          { resourceType: 'Practitioner', id: a.id },
          { resourceType: 'Practitioner', id: 'unknown' },
          // Inactive: rebuilt at a re-import, never kept as it is.
          { resourceType: 'Practitioner', id: gone.id },
        ]),
        new Set([`Practitioner/${a.id}`]),
      );
      await w.keep([{ resourceType: 'Practitioner', id: a.id }]);
      // Kept resources are not absent; b, neither put nor kept, is.
      const absent: string[] = [];
      for await (const ids of w.absent('Practitioner')) {
        absent.push(...ids);
      }
      assert.deepEqual(absent, [b.id]);
      const release = await w.commit();
      assert.equal(release.counts.unchanged, 1);
      assert.equal((await store.history('Practitioner', a.id)).length, 1);

      // A rolled-back release leaves its units as they were.
      w = await store.beginRelease({ source: 'rolled back' });
      await w.recordSourceUnits([{ key: 'pa:810000000008', hash: 'h2', resources: [] }]);
      await w.rollback();
      w = await store.beginRelease({ source: 'check' });
      assert.equal((await w.sourceUnits(['pa:810000000008'])).get('pa:810000000008')?.hash, 'h1');
      await w.rollback();
    });

    it('deletes with a deletion version, and a deleted resource can come back', async () => {
      const a = practitioner('10000000008', 'DUPONT', 'JEAN');
      await commitRelease(store, [a]);
      const w = await store.beginRelease({ source: 'delete' });
      assert.equal(await w.remove('Practitioner', a.id), true);
      assert.equal(await w.remove('Practitioner', 'missing'), false);
      assert.equal((await w.commit()).counts.deleted, 1);
      const gone = await store.read('Practitioner', a.id);
      assert.ok(gone);
      assert.equal(gone.deleted, true);
      assert.equal(gone.versionId, 2);
      assert.deepEqual(await store.find('Practitioner', family('family', 'dupont')), []);
      assert.deepEqual(await store.find('Practitioner', family('family', 'dupont'), { asOf: 1 }), [a.id]);
      assert.deepEqual((await store.info()).counts, {});
      await commitRelease(store, [a]);
      const back = await store.read('Practitioner', a.id);
      assert.ok(back);
      assert.equal(back.versionId, 3);
      assert.equal(back.deleted, false);
      assert.deepEqual(await store.find('Practitioner', family('family', 'dupont')), [a.id]);
    });

    it('scans the current versions of some types as of a release, in seq order, as undecoded bytes', async () => {
      const a = practitioner('10000000008', 'DUPONT', 'JÉRÔME');
      const b = practitioner('10000000016', 'MARTIN', 'LUC');
      const c = practitioner('10000000024', 'PETIT', 'ANNE');
      await commitRelease(store, [c, a, b, organization('750000001', 'CLINIQUE', 'PARIS')]);
      const w = await store.beginRelease({ source: 'two' });
      // A restricted element (birthDate): the store's classifier (the perimeter's test) flags the version.
      await w.put([
        { ...b, active: false },
        { ...practitioner('10000000032', 'ZOLA', 'EMILE'), birthDate: '1840-04-02' },
      ]);
      await w.remove('Practitioner', c.id);
      await w.commit();
      const flags = new Map<string, boolean | undefined>();
      const all = async (
        resourceTypes: string[],
        asOf: number,
        limit: number,
        sinceRelease?: number,
      ): Promise<string[]> => {
        const out: string[] = [];
        let last = 0;
        for (let afterSeq: number | undefined; ;) {
          const page = await store.scan({
            resourceTypes,
            asOf,
            limit,
            ...(afterSeq ? { afterSeq } : {}),
            ...(sinceRelease ? { sinceRelease } : {}),
          });
          for (const v of page) {
            assert.ok(Buffer.isBuffer(v.json));
            assert.ok(v.seq > last, 'in seq order');
            last = v.seq;
            const stored = await store.read(v.resourceType, v.id, { asOf });
            // The bytes are the stored text's UTF-8 encoding (accents included), not a re-serialization.
            assert.equal(v.json.toString('utf8'), stored?.json);
            assert.equal(v.seq, stored?.seq);
            assert.equal(v.release, stored?.release);
            assert.equal(v.active, stored?.active);
            // Stored when the version was written, the same answer as the test run on the text now.
            assert.equal(v.flagged, mayHoldRestricted(v.resourceType, v.json.toString('utf8')));
            // Reads carry it too: the API's perimeter then tests no text (fhir/perimeter.ts).
            assert.equal(stored?.flagged, v.flagged);
            flags.set(`${v.resourceType}/${v.id}`, v.flagged);
            out.push(`${v.resourceType}/${v.id}@${v.release}${v.active ? '' : ' inactive'}`);
          }
          if (page.length < limit) {
            return out;
          }
          afterSeq = page.at(-1)!.seq;
        }
      };
      // In the order written: c, a, b, then the organization.
      assert.deepEqual(await all(['Practitioner'], 1, 2), [
        'Practitioner/810000000024@1',
        'Practitioner/810000000008@1',
        'Practitioner/810000000016@1',
      ]);
      // As of release 2: c is deleted, b deactivated (a new version, later in the feed), a new one.
      assert.deepEqual(await all(['Practitioner', 'Organization'], 2, 1), [
        'Practitioner/810000000008@1',
        `Organization/${organization('750000001', 'CLINIQUE', 'PARIS').id}@1`,
        'Practitioner/810000000016@2 inactive',
        'Practitioner/810000000032@2',
      ]);
      // Since release 2: what it wrote only.
      assert.deepEqual(await all(['Practitioner', 'Organization'], 2, 10, 2), [
        'Practitioner/810000000016@2 inactive',
        'Practitioner/810000000032@2',
      ]);
      assert.deepEqual(await all(['Practitioner'], 2, 10, 3), []);
      assert.equal(flags.get('Practitioner/810000000032'), true);
      assert.equal(flags.get('Practitioner/810000000008'), false);
      assert.equal((await store.scan({ resourceTypes: ['Organization'], asOf: 2, limit: 10 })).length, 1);
      await assert.rejects(store.scan({ resourceTypes: ['Practitioner'], asOf: 3, limit: 10 }), /release 3/);
    });

    it('serves a change feed in order, by type, since an instant and pinned to a release', async () => {
      await commitRelease(store, [
        practitioner('10000000008', 'A', 'A'),
        organization('010000024', 'CH', 'VIRIAT'),
      ]);
      await new Promise((r) => setTimeout(r, 5));
      const between = new Date();
      await new Promise((r) => setTimeout(r, 5));
      await commitRelease(store, [
        practitioner('10000000008', 'B', 'B'),
        practitioner('10000000016', 'C', 'C'),
      ]);
      const all = await store.changes({ limit: 100 });
      assert.deepEqual(
        all.map((v) => `${v.resourceType}/${v.id}/${v.versionId}`),
        [
          'Practitioner/810000000008/1',
          'Organization/F010000024/1',
          'Practitioner/810000000008/2',
          'Practitioner/810000000016/1',
        ],
      );
      assert.ok(all.every((v, i) => i === 0 || v.seq > all[i - 1]!.seq));
      const page1 = await store.changes({ resourceType: 'Practitioner', limit: 2 });
      const page2 = await store.changes({
        resourceType: 'Practitioner',
        afterSeq: page1.at(-1)!.seq,
        limit: 2,
      });
      assert.deepEqual(
        [...page1, ...page2].map((v) => v.versionId),
        [1, 2, 1],
      );
      assert.deepEqual(
        (await store.changes({ since: between, limit: 10 })).map((v) => v.release),
        [2, 2],
      );
      assert.deepEqual((await store.changes({ upToRelease: 1, limit: 10 })).length, 2);
      assert.deepEqual(await store.changes({ since: new Date(Date.now() + 60_000), limit: 10 }), []);
    });

    it('purges closed index rows past the retention and refuses snapshots older than it', async () => {
      await commitRelease(store, [practitioner('10000000008', 'DUPONT', 'JEAN')]);
      await commitRelease(store, [practitioner('10000000008', 'DURAND', 'JEAN')]);
      await commitRelease(store, [practitioner('10000000008', 'DUMAS', 'JEAN')]);
      assert.deepEqual(await store.find('Practitioner', family('family', 'dupont'), { asOf: 1 }), [
        '810000000008',
      ]);
      const keepTwo = await store.purge({ keepReleases: 2 });
      // Snapshots 2 and 3 stay searchable: only the row closed at 2 (DUPONT's family) is dropped.
      assert.deepEqual(keepTwo, { purgedThrough: 1, rows: 1 });
      await assert.rejects(store.find('Practitioner', family('family', 'dupont'), { asOf: 1 }), /retention/);
      assert.deepEqual(await store.find('Practitioner', family('family', 'durand'), { asOf: 2 }), [
        '810000000008',
      ]);
      const keepOne = await store.purge({ keepReleases: 1 });
      assert.deepEqual(keepOne, { purgedThrough: 2, rows: 1 });
      await assert.rejects(store.find('Practitioner', family('family', 'durand'), { asOf: 2 }), /retention/);
      assert.deepEqual(await store.find('Practitioner', family('family', 'durand'), { asOf: 3 }), []);
      assert.deepEqual(await store.find('Practitioner', family('family', 'dumas')), ['810000000008']);
      // Versions are kept.
      assert.equal((await store.history('Practitioner', '810000000008')).length, 3);
      assert.equal((await store.info()).purgedThrough, 2);
      assert.deepEqual(await store.purge({ keepReleases: 1 }), { purgedThrough: 2, rows: 0 });
    });

    it('stores API keys by the hash of their secret, lists them and revokes them', async () => {
      assert.deepEqual(await store.apiKeys(), []);
      const a = await store.createApiKey({
        id: 'ka',
        name: 'ARS Bretagne',
        scopes: ['public', 'restricted'],
        secretSha256: 'a'.repeat(64),
      });
      assert.equal(a.id, 'ka');
      assert.deepEqual(a.scopes, ['public', 'restricted']);
      assert.equal(a.revokedAt, undefined);
      assert.equal(a.rateLimit, undefined);
      assert.ok(Date.parse(a.createdAt) > 0);
      const b = await store.createApiKey({
        id: 'kb',
        name: '',
        scopes: ['historized'],
        secretSha256: 'b'.repeat(64),
        rateLimit: 500,
      });
      assert.equal(b.rateLimit, 500);
      await assert.rejects(
        store.createApiKey({ id: 'kc', name: 'x', scopes: ['public'], secretSha256: 'a'.repeat(64) }),
        (e: unknown) => e instanceof AnnuaireError && e.status === 409,
      );
      await assert.rejects(
        store.createApiKey({ id: 'ka', name: 'x', scopes: ['public'], secretSha256: 'c'.repeat(64) }),
        (e: unknown) => e instanceof AnnuaireError && e.status === 409,
      );
      assert.deepEqual((await store.apiKeyBySecretSha256('b'.repeat(64)))?.id, 'kb');
      assert.equal(await store.apiKeyBySecretSha256('c'.repeat(64)), undefined);
      assert.deepEqual(
        (await store.apiKeys()).map((k) => k.id),
        ['ka', 'kb'],
      );

      const revoked = await store.revokeApiKey('ka');
      assert.ok(revoked?.revokedAt);
      assert.equal((await store.revokeApiKey('ka'))?.revokedAt, revoked.revokedAt);
      assert.equal(await store.revokeApiKey('nope'), undefined);
      assert.ok((await store.apiKeyBySecretSha256('a'.repeat(64)))?.revokedAt);
      // Another store on the same data (another process) sees the keys.
      const other = await t.reopen();
      try {
        assert.deepEqual(
          (await other.apiKeys()).map((k) => [k.id, k.revokedAt !== undefined]),
          [
            ['ka', true],
            ['kb', false],
          ],
        );
      } finally {
        await other.close();
      }
    });

    it('writes an API key while a release is being written (PostgreSQL) or fails clearly (SQLite)', async () => {
      const w = await store.beginRelease({ source: 'long' });
      await w.put([practitioner('10000000008', 'DUPONT', 'JEAN')]);
      const other = await t.reopen();
      try {
        const key = { id: 'kw', name: 'w', scopes: ['public'], secretSha256: 'd'.repeat(64) };
        if (engine === 'postgres') {
          assert.equal((await other.createApiKey(key)).id, 'kw');
        } else {
          await assert.rejects(other.createApiKey(key), /a release is being written/);
        }
      } finally {
        await other.close();
        await w.rollback();
      }
    });

    it('writes thousands of resources in batches with their index rows', async () => {
      const w = await store.beginRelease({ source: 'bulk' });
      const n = 5000;
      for (let start = 0; start < n; start += 1000) {
        const batch = Array.from({ length: 1000 }, (_, i) =>
          practitioner(String(10000000000 + start + i), `NOM${start + i}`, 'PRENOM'),
        );
        await w.put(batch);
      }
      const release = await w.commit();
      assert.equal(release.counts.added, n);
      assert.deepEqual((await store.info()).counts, { Practitioner: { total: n, active: n } });
      assert.deepEqual(await store.find('Practitioner', family('family', 'nom4999')), ['810000004999']);
      assert.equal((await store.find('Practitioner', family('given', 'prenom'))).length, n);
    });
  });
}
