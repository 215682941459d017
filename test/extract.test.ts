/**
 * `annuaire extract`, end to end: a generated dataset imported into store A, extracted, the extract imported into
 * an empty store B; B's public resources are A's, resource by resource. Then A takes the next day's files and a
 * second extract into the same folder publishes the deltas between the two. On SQLite files and on PostgreSQL.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { composeSystem } from '../src/main.js';
import type { EntityChange } from '../src/publish/diff/compare.js';
import { diffExtracts } from '../src/publish/diff/diff-extracts.js';
import { CSV_HEADER, formatChange } from '../src/publish/diff/format.js';
import { pages } from '../src/publish/extract/current-resources.js';
import { extract, type ExtractResult } from '../src/publish/extract/extract.js';
import { stampOf } from '../src/publish/extract/names.js';
import { PORTEURS_CPS_CPF } from '../src/sources/cps/columns.js';
import { MSSANTE } from '../src/sources/mssante/columns.js';
import { PERSONNE_ACTIVITE as PA } from '../src/sources/rpps/columns.js';
import type { Store } from '../src/store/store.js';
import { onPostgres, sqliteStores, type StoreFactory, type TestStore } from './support/stores.js';
import { openInputs } from '../src/sources/input/open-inputs.js';
import { generateDay, importFiles } from './support/generated.js';

const SCALE = 0.001;
const SEED = 7;
const TYPES = ['Practitioner', 'PractitionerRole', 'Organization'] as const;
const system = composeSystem();

/** The generated files the extract covers: PS_LibreAcces, MSSanté, CPS/CPF (not the FINESS file, see below). */
async function generated(root: string, day: number): Promise<string[]> {
  return (await generateDay(root, day, SEED, SCALE)).filter((f) => !basename(f).startsWith('etalab'));
}

/**
 * The public perimeter of every current resource, by `Type/id`. `meta.versionId` and `meta.lastUpdated` are left
 * out: they are each store's bookkeeping of its own releases (B's first version of a resource is 1, dated when B
 * imported it), not content the files carry. Nothing else is left out.
 */
async function publicResources(store: Store, activeOnly = false): Promise<Map<string, unknown>> {
  const asOf = await store.currentRelease();
  const all = new Map<string, unknown>();
  for (const type of TYPES) {
    for await (const page of pages(store, type, asOf, activeOnly ? [{ kind: 'active', value: true }] : [])) {
      for (const r of page) {
        const { versionId, lastUpdated, ...meta } = r.meta ?? {};
        assert.ok(versionId !== undefined && lastUpdated !== undefined);
        all.set(`${type}/${r.id}`, { ...r, meta });
      }
    }
  }
  return all;
}

async function changes(oldPath: string, newPath: string): Promise<EntityChange[]> {
  const found: EntityChange[] = [];
  await diffExtracts({ oldPath, newPath, onChange: (c) => found.push(c) });
  return found;
}

/** Columns whose changes an entity had, with how many. */
function changedColumns(list: readonly EntityChange[]): Map<string, number> {
  const columns = new Map<string, number>();
  for (const c of list) {
    for (const f of c.fields) {
      columns.set(f.field, (columns.get(f.field) ?? 0) + 1);
    }
  }
  return columns;
}

/**
 * Columns of the generated files that no resource keeps, so an extract cannot give them back (each is named in
 * the comments of src/publish/extract/*.ts): the civility (not the civility of practice), the authorities after
 * the first, the parts of an address (kept as its lines: the street line comes back whole in `Libellé Voie`),
 * the cedex office, country code, département, former structure id; a site's sector and trade name are the
 * structure's, kept once from the first line naming it (the generated file gives some structures different
 * ones on different lines).
 */
const PA_NOT_CARRIED = new Set<string>([
  PA.codeCivilite,
  PA.libelleCivilite,
  PA.autoriteEnregistrement,
  PA.complementDestinataire,
  PA.complementPointGeographique,
  PA.numeroVoie,
  PA.indiceRepetitionVoie,
  PA.codeTypeVoie,
  PA.libelleTypeVoie,
  PA.libelleVoie,
  PA.mentionDistribution,
  PA.bureauCedex,
  PA.codePays,
  PA.codeDepartement,
  PA.libelleDepartement,
  PA.ancienIdentifiantStructure,
  PA.codeSecteurActivite,
  PA.libelleSecteurActivite,
  PA.enseigne,
]);

/** MSSanté: the mailbox is kept (type, address, holder, service, dematerialisation), not the structure's address. */
const MSS_NOT_CARRIED = new Set<string>([
  MSSANTE.typeIdentifiantStructure,
  MSSANTE.enseigne,
  MSSANTE.complementLocalisation,
  MSSANTE.complementDistribution,
  MSSANTE.numeroVoie,
  MSSANTE.complementNumeroVoie,
  MSSANTE.typeVoie,
  MSSANTE.libelleVoie,
  MSSANTE.lieuDitMention,
  MSSANTE.ligneAcheminement,
  MSSANTE.codePostal,
  MSSANTE.departement,
  MSSANTE.pays,
]);

/** CPS/CPF: the card's national id and update date are not kept; its opposition date is restricted data. */
const CPS_NOT_CARRIED = new Set<string>([
  PORTEURS_CPS_CPF.identifiantNationalCarte,
  PORTEURS_CPS_CPF.dateMiseAJour,
  PORTEURS_CPS_CPF.dateOpposition,
]);

function roundTrip(engine: string, factory: StoreFactory): void {
  describe(`annuaire extract round trip on ${engine}`, () => {
    let root: string;
    let a: TestStore;
    let b: TestStore;
    let day0: string[];
    let first: ExtractResult;
    const out = (): string => join(root, 'extractions');

    before(async () => {
      root = mkdtempSync(join(tmpdir(), 'annuaire-extract-'));
      day0 = await generated(root, 0);
      a = await factory();
      // A is built from the files the extract covers. The FINESS file is left out: the establishments it
      // describes (and their FINESS-only data: categories, positions, opening dates) are not in these extracts.
      await importFiles(a.store, day0, 'day 0');
      first = await extract({ store: a.store, nomenclatures: system.nomenclatures(), out: out() });
      b = await factory();
      await importFiles(
        b.store,
        first.files.map((f) => f.path),
        'extract',
      );
    });
    after(async () => {
      await a?.dispose();
      await b?.dispose();
      rmSync(root, { recursive: true, force: true });
    });

    it('writes the three zips named with the release stamp, each with its sha256, and nothing else', async () => {
      const release = await a.store.release(await a.store.currentRelease());
      const stamp = stampOf(release!.committedAt);
      assert.equal(first.stamp, stamp);
      assert.deepEqual(first.deltas, []);
      const names = first.files.map((f) => f.name);
      assert.deepEqual(names, [
        `PS_LibreAcces_${stamp}.zip`,
        `Extraction_Correspondance_MSSante_${stamp}.zip`,
        `Porteurs_CPS_CPF_${stamp}.zip`,
      ]);
      assert.deepEqual(readdirSync(out()).sort(), [...names, ...names.map((n) => `${n}.sha256`)].sort());
      for (const f of first.files) {
        const sha256 = createHash('sha256').update(readFileSync(f.path)).digest('hex');
        assert.equal(f.sha256, sha256);
        assert.equal(readFileSync(`${f.path}.sha256`, 'utf8'), `${sha256}  ${f.name}\n`);
      }
      const inputs = await openInputs(first.files.map((f) => f.path));
      try {
        assert.deepEqual(
          inputs.files.map((f) => f.name),
          [
            `PS_LibreAcces_Personne_activite_${stamp}.txt`,
            `PS_LibreAcces_Dipl_AutExerc_${stamp}.txt`,
            `PS_LibreAcces_SavoirFaire_${stamp}.txt`,
            `Extraction_Correspondance_MSSante_${stamp}.txt`,
            `Porteurs_CPS_CPF_${stamp}.txt`,
          ],
        );
        // The current 56-column layout: its header first, every line with 56 fields and a trailing `|`.
        let text = '';
        for await (const chunk of await inputs.files[0]!.open()) {
          text += String(chunk);
        }
        const [header, ...lines] = text.trimEnd().split('\n');
        assert.equal(header, Object.values(PA).join('|') + '|');
        assert.equal(Object.values(PA).length, 56);
        assert.ok(lines.length > 1000);
        for (const line of lines) {
          assert.equal(line.split('|').length, 57, line);
          assert.ok(line.endsWith('|'));
        }
      } finally {
        inputs.close();
      }
    });

    it('gives an empty store the same public resources, resource by resource', async () => {
      const [left, right] = [await publicResources(a.store), await publicResources(b.store)];
      assert.ok(left.size > 1000, `${left.size} resources`);
      for (const type of TYPES) {
        assert.ok(
          [...left.keys()].some((k) => k.startsWith(`${type}/`)),
          `some ${type}`,
        );
      }
      assert.deepEqual([...right.keys()].sort(), [...left.keys()].sort());
      for (const [key, resource] of left) {
        assert.deepEqual(right.get(key), resource, key);
      }
    });

    it('differs from the generated files only in what no resource keeps', async () => {
      const byKind = new Map<string, [string, string]>();
      for (const f of first.files) {
        const kind = f.name.replace(/_\d{12}\.zip$/, '');
        byKind.set(kind, [day0.find((p) => p.includes(`${kind}_`))!, f.path]);
      }
      const ps = await changes(...byKind.get('PS_LibreAcces')!);
      assert.deepEqual(
        ps.filter((c) => c.change !== 'changed'),
        [],
        'no professional, situation, diploma or savoir-faire added or removed',
      );
      const psColumns = changedColumns(ps);
      assert.ok(psColumns.size > 0);
      assert.deepEqual(
        [...psColumns.keys()].filter((c) => !PA_NOT_CARRIED.has(c)),
        [],
        'the carried columns are unchanged',
      );

      const mss = await changes(...byKind.get('Extraction_Correspondance_MSSante')!);
      assert.deepEqual(
        mss.filter((c) => c.change === 'added'),
        [],
      );
      // Removed: the establishments' mailboxes whose establishment is not in A (no FINESS file): A did not
      // publish them either (the import warns of them).
      const removed = mss.filter((c) => c.change === 'removed');
      assert.ok(removed.length < 20, `${removed.length} removed`);
      assert.deepEqual(
        [...changedColumns(mss).keys()].filter((c) => !MSS_NOT_CARRIED.has(c)),
        [],
      );

      const cps = await changes(...byKind.get('Porteurs_CPS_CPF')!);
      assert.deepEqual(
        cps.filter((c) => c.change !== 'changed'),
        [],
      );
      assert.deepEqual(
        [...changedColumns(cps).keys()].filter((c) => !CPS_NOT_CARRIED.has(c)),
        [],
      );
    });

    if (engine === 'sqlite') {
      it('is the annuaire extract command: same files, one line each on stdout, quiet stderr', () => {
        const cliOut = join(root, 'cli');
        const r = annuaire(['extract', '--out', cliOut, '--db', a.url]);
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stderr, '');
        for (const f of first.files) {
          assert.match(r.stdout, new RegExp(`^${f.name}: ${f.size} bytes, sha256 ${f.sha256}$`, 'm'));
        }
        assert.match(r.stdout, /^release 1 \(\d{12}\): \d+ practitioners extracted$/m);
      });
    }

    it('publishes the deltas from the previous extract in the folder, named with both stamps', async () => {
      await importFiles(a.store, await generated(root, 1), 'day 1');
      // Both releases are committed within the same minute here: the second extract is given a later stamp.
      const stamp = String(Number(first.stamp) + 1);
      const second = await extract({
        store: a.store,
        nomenclatures: system.nomenclatures(),
        out: out(),
        stamp,
      });
      assert.deepEqual(
        second.deltas.map((d) => d.name),
        [
          `PS_LibreAcces_delta_${first.stamp}_${stamp}.csv`,
          `Extraction_Correspondance_MSSante_delta_${first.stamp}_${stamp}.csv`,
          `Porteurs_CPS_CPF_delta_${first.stamp}_${stamp}.csv`,
        ],
      );
      for (const [i, delta] of second.deltas.entries()) {
        const expected =
          CSV_HEADER +
          (await changes(first.files[i]!.path, second.files[i]!.path))
            .map((c) => formatChange(c, 'csv'))
            .join('');
        assert.equal(readFileSync(delta.path, 'utf8'), expected, delta.name);
        assert.equal(
          readFileSync(`${delta.path}.sha256`, 'utf8'),
          `${createHash('sha256').update(expected).digest('hex')}  ${delta.name}\n`,
        );
      }
      // Day 1 registered, changed and removed professionals: the PS delta says so.
      const psDelta = readFileSync(second.deltas[0]!.path, 'utf8');
      assert.match(psDelta, /\nprofessional,[^,]*,added,/);
      assert.match(psDelta, /\nprofessional,[^,]*,removed,/);
      assert.deepEqual(
        readdirSync(out()).filter((n) => n.startsWith('.')),
        [],
        'no temporary file left',
      );

      // After day 1, A also holds deactivated resources: the extract carries the active ones, and they alone
      // come back. (A practice site that is a FINESS establishment stays active in A when no situation names it
      // any more, since only the FINESS file governs those; this dataset has none such.)
      const c = await factory();
      try {
        await importFiles(
          c.store,
          second.files.map((f) => f.path),
          'second extract',
        );
        const [left, right] = [await publicResources(a.store, true), await publicResources(c.store)];
        const all = await publicResources(a.store);
        assert.ok(all.size > left.size, `${all.size - left.size} deactivated in A`);
        assert.deepEqual([...right.keys()].sort(), [...left.keys()].sort());
        for (const [key, resource] of left) {
          assert.deepEqual(right.get(key), resource, key);
        }
      } finally {
        await c.dispose();
      }
    });
  });
}

function annuaire(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/annuaire.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, ANNUAIRE_DB: '' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// PostgreSQL is probed before any suite runs: the generator and the spawned commands keep the event loop busy
// for seconds, longer than the probe waits.
await onPostgres('annuaire extract round trip', (factory) => roundTrip('postgres', factory));

describe('annuaire extract, bad input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'annuaire-extract-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 2 with a one-line reason', () => {
    const db = `sqlite:${join(dir, 'empty.db')}`;
    assert.equal(annuaire(['db', 'init', '--db', db]).status, 0);
    for (const [args, reason] of [
      [['--db', db], /--out is required/],
      [
        ['--out', join(dir, 'x'), '--db', db, '--delta-format', 'xml'],
        /--delta-format must be csv or ndjson/,
      ],
      [['--out', join(dir, 'x'), '--db', db], /the store holds no release/],
    ] as const) {
      const r = annuaire(['extract', ...args]);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, reason);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  });
});

roundTrip('sqlite', sqliteStores);
