/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-return -- the assertions walk FHIR JSON, whose shape is what they check */
/**
 * The import of national files, on every engine (import-sqlite.test.ts, import-postgres.test.ts): real files
 * written from the format rules, read back through the Store.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { composeSystem } from '../src/main.js';
import { importRelease, type ImportResult } from '../src/reconcile/import-release.js';
import { openInputs } from '../src/sources/input/open-inputs.js';
import type { Store } from '../src/store/store.js';
import {
  activityRows,
  cps,
  diplomes,
  finessFile,
  finessSite,
  legacyLayout,
  liberalSite,
  mssante,
  personneActivite,
  rpps,
  savoirFaire,
  writeFile,
  writeZip,
} from './support/national-files.js';
import type { StoreFactory, TestStore } from './support/stores.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PA = 'PS_LibreAcces_Personne_activite_202611220800.txt';
const FINESS = 'etalab-cs1100507-stock-20261122-0800.csv';

export function importContract(engine: string, factory: StoreFactory): void {
  describe(`Import of national files on ${engine}`, () => {
    let t: TestStore;
    let store: Store;
    let dir: string;
    const nomenclatures = composeSystem().nomenclatures();

    beforeEach(async () => {
      t = await factory();
      store = t.store;
      dir = mkdtempSync(join(tmpdir(), 'annuaire-import-'));
    });
    afterEach(async () => {
      await t.dispose();
      rmSync(dir, { recursive: true, force: true });
    });

    async function run(paths: string[], threshold?: number): Promise<ImportResult> {
      const inputs = await openInputs(paths);
      try {
        return await importRelease({
          store,
          nomenclatures,
          files: inputs.files,
          source: 'test',
          ...(threshold === undefined ? {} : { rejectionThreshold: threshold }),
        });
      } finally {
        inputs.close();
      }
    }

    async function resource(type: string, id: string): Promise<Json> {
      const v = await store.read(type, id);
      assert.ok(v, `${type}/${id} should exist`);
      return JSON.parse(v.json) as Json;
    }

    const doctor = { rpps: rpps(1), nom: 'LEFÈVRE', prenom: 'HÉLÈNE' };
    const nurse = { rpps: rpps(2), nom: 'MARTIN', prenom: 'LUC', profession: '60' };

    it('imports a PS_LibreAcces zip with its companions into as-dp resources', async () => {
      const paRows = [
        ...activityRows({
          ...doctor,
          situations: [
            {
              ...liberalSite('38513152800016', 'CABINET LEFÈVRE'),
              codeTypeSavoirFaire: 'S',
              codeSavoirFaire: 'SM54',
            },
            { ...finessSite('010000024'), codeTypeSavoirFaire: 'S', codeSavoirFaire: 'SM54' },
          ],
        }),
        ...activityRows(nurse),
      ];
      const zip = join(dir, 'PS_LibreAcces_202611220800.zip');
      await writeZip(zip, {
        [PA]: personneActivite(paRows, { crlf: true, bom: true }),
        'PS_LibreAcces_Dipl_AutExerc_202611220800.txt': diplomes([
          {
            typeIdentifiant: '8',
            identifiant: doctor.rpps,
            idNatPs: `8${doctor.rpps}`,
            codeTypeDiplome: 'DE',
            codeDiplome: 'DE05',
          },
        ]),
        'PS_LibreAcces_SavoirFaire_202611220800.txt': savoirFaire([
          {
            typeIdentifiant: '8',
            identifiant: doctor.rpps,
            idNatPs: `8${doctor.rpps}`,
            codeProfession: '10',
            codeTypeSavoirFaire: 'S',
            codeSavoirFaire: 'SM54',
          },
        ]),
      });
      const mss = writeFile(
        dir,
        'Extraction_Correspondance_MSSante_202611220800.txt',
        mssante([
          { typeBal: 'PER', adresseBal: 'helene.lefevre@medecin.mssante.fr', idNatPs: `8${doctor.rpps}` },
          {
            typeBal: 'PER',
            adresseBal: 'h.lefevre@ch.mssante.fr',
            idNatPs: `8${doctor.rpps}`,
            identificationStructure: 'F010000024',
          },
          {
            typeBal: 'ORG',
            adresseBal: 'accueil@ch.mssante.fr',
            identificationStructure: 'F010000024',
            dematerialisation: 'True',
          },
        ]),
      );
      const cards = writeFile(
        dir,
        'Porteurs_CPS_CPF_202611220800.txt',
        cps(
          [
            {
              typeIdentifiant: '8',
              identifiant: doctor.rpps,
              idNatPs: `8${doctor.rpps}`,
              nomExercice: 'LEFÈVRE',
              codeTypeCarte: 'CPS',
              numeroCarte: '2800123456',
              debutValidite: '01/03/2024',
              finValidite: '2027-03-01',
            },
          ],
          { encoding: 'windows-1252' },
        ),
      );
      const finess = writeFile(
        dir,
        FINESS,
        finessFile([
          {
            finess: '010000024',
            ej: '010780054',
            name: 'CH "LES GLYCINES"; FLEYRIAT',
            x: 870262.2,
            y: 6571540.8,
          },
        ]),
      );

      const result = await run([zip, mss, cards, finess]);
      assert.deepEqual(
        result.files.map((f) => [f.kind, f.encoding, f.lines, f.rejected]),
        [
          ['personne-activite', 'utf-8', 3, 0],
          ['dipl-aut-exerc', 'utf-8', 1, 0],
          ['savoir-faire', 'utf-8', 1, 0],
          ['mssante', 'utf-8', 3, 0],
          ['cps', 'windows-1252', 1, 0],
          ['finess', 'utf-8', 2, 0],
        ],
      );
      const c = result.release.counts;
      // 2 practitioners, 2 roles of the doctor (the nurse has no situation), the FINESS site, its legal entity,
      // the liberal site.
      assert.deepEqual([c.read, c.added, c.changed, c.deactivated, c.rejected], [11, 7, 0, 0, 0]);

      const p = await resource('Practitioner', `8${doctor.rpps}`);
      assert.deepEqual(
        p['identifier'].map((i: Json) => [i.system, i.value]),
        [
          ['urn:oid:1.2.250.1.71.4.2.1', `8${doctor.rpps}`],
          ['https://rpps.esante.gouv.fr', doctor.rpps],
        ],
      );
      assert.deepEqual(p['name'], [{ use: 'usual', family: 'LEFÈVRE', given: ['HÉLÈNE'] }]);
      assert.ok(
        p['meta'].profile.includes(
          'https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition/as-dp-practitioner',
        ),
      );
      const codings = p['qualification'].map((q: Json) =>
        q.code.coding.map(
          (x: Json) => `${x.system.split('/NOS/')[1]?.split('/')[0]}#${x.code}#${x.display ?? ''}`,
        ),
      );
      assert.deepEqual(codings, [
        ['TRE_G15-ProfessionSante#10#Médecin', 'TRE_R09-CategorieProfessionnelle#C#Civil'],
        [
          `TRE_R38-SpecialiteOrdinale#SM54#${nomenclatures.table('TRE_R38-SpecialiteOrdinale')!.lookup('SM54').known ? (nomenclatures.table('TRE_R38-SpecialiteOrdinale')!.lookup('SM54') as { display: string }).display : ''}`,
          `TRE_R04-TypeSavoirFaire#S#${(nomenclatures.table('TRE_R04-TypeSavoirFaire')!.lookup('S') as { display: string }).display}`,
        ],
        [
          `TRE_R48-DiplomeEtatFrancais#DE05#${(nomenclatures.table('TRE_R48-DiplomeEtatFrancais')!.lookup('DE05') as { display?: string }).display ?? ''}`,
          `TRE_R14-TypeDiplome#DE#${(nomenclatures.table('TRE_R14-TypeDiplome')!.lookup('DE') as { display?: string }).display ?? ''}`,
        ],
      ]);
      // The personal mailbox without structure is the practitioner's; the card, decoded from Windows-1252.
      assert.deepEqual(
        p['telecom'].map((m: Json) => m.value),
        ['helene.lefevre@medecin.mssante.fr'],
      );
      const card = p['extension'].find((e: Json) => e.url.endsWith('as-ext-smartcard'));
      assert.deepEqual(card.extension.find((e: Json) => e.url === 'period').valuePeriod, {
        start: '2024-03-01',
        end: '2027-03-01',
      });

      const roles = await store.find('PractitionerRole', {
        kind: 'reference',
        code: 'practitioner',
        target: `Practitioner/8${doctor.rpps}`,
      });
      assert.equal(roles.length, 2);
      const atFiness = await Promise.all(roles.map((id) => resource('PractitionerRole', id)));
      const hospitalRole = atFiness.find((r) => r['organization'].reference === 'Organization/F010000024')!;
      assert.deepEqual(
        hospitalRole['telecom'].map((m: Json) => m.value),
        ['h.lefevre@ch.mssante.fr'],
      );
      assert.deepEqual(
        hospitalRole['code'].map((cc: Json) => cc.coding[0].code),
        ['10', 'GENR01', 'S', 'FON-AU'],
      );

      const org = await resource('Organization', 'F010000024');
      assert.equal(org['name'], 'CH "LES GLYCINES"; FLEYRIAT');
      assert.deepEqual(org['partOf'], { reference: 'Organization/F010780054' });
      const geo = org['address'][0].extension.find(
        (e: Json) => e.url === 'http://hl7.org/fhir/StructureDefinition/geolocation',
      );
      const lat = geo.extension.find((e: Json) => e.url === 'latitude').valueDecimal as number;
      const lon = geo.extension.find((e: Json) => e.url === 'longitude').valueDecimal as number;
      assert.ok(Math.abs(lat - 46.2223) < 0.001 && Math.abs(lon - 5.2092) < 0.001, `${lat}, ${lon}`);
      assert.deepEqual(
        org['telecom'].filter((m: Json) => m.system === 'email').map((m: Json) => m.value),
        ['accueil@ch.mssante.fr'],
      );
      assert.equal((await resource('Organization', 'F010780054'))['identifier'][1].value, '010780054');
      assert.equal((await resource('Organization', 'C38513152800016'))['name'], 'CABINET LEFÈVRE');
    });

    it('reads the legacy 52-column layout and keeps ADELI leading zeros', async () => {
      const adeli = { adeli: '012600631', nom: 'DURAND', prenom: 'MARIE', profession: '60' };
      const path = writeFile(
        dir,
        PA,
        personneActivite(
          activityRows({ ...adeli, situations: [liberalSite('38513152800016', 'CABINET DURAND')] }),
          legacyLayout,
        ),
      );
      const r = await run([path]);
      assert.equal(r.files[0]!.rejected, 0);
      const p = await resource('Practitioner', '0012600631');
      assert.deepEqual(
        p['identifier'].map((i: Json) => i.value),
        ['0012600631'],
      );
      const [roleId] = await store.find('PractitionerRole', {
        kind: 'reference',
        code: 'practitioner',
        target: 'Practitioner/0012600631',
      });
      const role = await resource('PractitionerRole', roleId!);
      // The legacy layout has no role or genre columns: only the profession and the mode.
      assert.deepEqual(
        role['code'].map((cc: Json) => cc.coding[0].code),
        ['60', 'L'],
      );
    });

    it('codes professions from the table that has them: an osteopath from TRE_R95', async () => {
      const osteo = { rpps: rpps(7), nom: 'ROUX', prenom: 'PAUL', profession: '71' };
      await run([writeFile(dir, PA, personneActivite(activityRows(osteo)))]);
      const p = await resource('Practitioner', `8${osteo.rpps}`);
      assert.deepEqual(p['qualification'][0].code.coding[0], {
        system: 'https://mos.esante.gouv.fr/NOS/TRE_R95-UsagerTitre/FHIR/TRE-R95-UsagerTitre',
        code: '71',
        display: 'Ostéopathe',
      });
    });

    it('reports each defective line with file, line and reason, and imports the rest', async () => {
      const good = Array.from({ length: 400 }, (_, i) =>
        activityRows({ rpps: rpps(100 + i), nom: `NOM${i}`, prenom: 'JEAN' }),
      ).flat();
      const path = writeFile(
        dir,
        PA,
        personneActivite([
          ...good,
          '8|10000000001|too|few|fields|',
          { ...good[0]!, idNatPs: '899999999999' },
          { ...good[1]!, codeProfession: '9999' },
        ]),
      );
      const cards = writeFile(
        dir,
        'Porteurs_CPS_CPF_202611220800.txt',
        cps([
          { identifiant: rpps(100), codeTypeCarte: 'CPS', numeroCarte: '1', debutValidite: '31/02/2024' },
        ]),
      );
      const r = await run([path, cards]);
      assert.deepEqual(
        r.release.report.rejections.map((x) => [x.file.split('/').pop(), x.line, x.reason]),
        [
          [PA, 402, 'expected 56 fields, found 6'],
          [
            PA,
            403,
            `national id "899999999999" is not the identifier type "8" followed by the identifier "${rpps(100)}"`,
          ],
          [PA, 404, 'profession code "9999" is not in TRE_G15, TRE_R95, TRE_R94 or TRE_R291'],
          ['Porteurs_CPS_CPF_202611220800.txt', 2, '"Date début validité" is not a date: "31/02/2024"'],
        ],
      );
      assert.equal(r.release.counts.rejected, 4);
      assert.equal(r.release.counts.added, 400);
    });

    it('refuses the whole release above the rejection threshold, leaving the store as it was', async () => {
      await run([writeFile(dir, PA, personneActivite(activityRows(doctor)))]);
      const before = await store.info();
      const path = writeFile(dir, PA, personneActivite([...activityRows(nurse), '8|broken|', '8|broken|']));
      await assert.rejects(
        run([path]),
        /2 of 3 lines rejected \(66\.67%\), above the 1\.00% threshold: nothing was imported; first: .*:3: expected/,
      );
      assert.deepEqual(await store.info(), before);
      assert.equal(await store.read('Practitioner', `8${nurse.rpps}`), undefined);
    });

    it('refuses an unknown header, a truncated file and a corrupt zip', async () => {
      const before = await store.info();
      const unknown = writeFile(dir, PA, Buffer.from('A|B|C|\n1|2|3|\n'));
      await assert.rejects(run([unknown]), /named as a personne-activite file but its header is not one/);
      const full = personneActivite(activityRows(doctor));
      const truncated = writeFile(dir, PA, full.subarray(0, full.length - 30));
      await assert.rejects(run([truncated]), /is truncated: its last line \(2\) is incomplete/);
      const zip = join(dir, 'PS_LibreAcces_202611220800.zip');
      await writeZip(zip, { [PA]: full });
      writeFileSync(zip, readFileSync(zip).subarray(0, 60));
      await assert.rejects(run([zip]), /is not a readable zip archive/);
      assert.deepEqual(await store.info(), before);
    });

    it('re-importing the same files adds no version; a professional who left becomes inactive', async () => {
      const both = writeFile(
        dir,
        PA,
        personneActivite([
          ...activityRows({ ...doctor, situations: [liberalSite('38513152800016', 'CAB')] }),
          ...activityRows(nurse),
        ]),
      );
      const first = await run([both]);
      assert.equal(first.release.counts.added, 4);
      const again = await run([both]);
      assert.deepEqual(
        [again.release.counts.added, again.release.counts.changed, again.release.counts.unchanged],
        [0, 0, 4],
      );
      assert.equal((await store.history('Practitioner', `8${doctor.rpps}`)).length, 1);

      const onlyNurse = writeFile(dir, PA, personneActivite(activityRows(nurse)));
      const third = await run([onlyNurse]);
      // The doctor, their role and their private practice leave the extract.
      assert.deepEqual([third.release.counts.deactivated, third.release.counts.unchanged], [3, 1]);
      const gone = await resource('Practitioner', `8${doctor.rpps}`);
      assert.equal(gone['active'], false);
      assert.equal(gone['meta'].versionId, '2');
      assert.deepEqual(Object.keys(gone), ['resourceType', 'id', 'meta', 'language', 'identifier', 'active']);
      assert.equal((await store.history('Practitioner', `8${doctor.rpps}`)).length, 2);
    });

    it('keeps professionals whose lines did not change, rebuilds the others, and brings back one who returns', async () => {
      const people = [doctor, nurse, { rpps: rpps(3), nom: 'PETIT', prenom: 'ANNE' }];
      const file = (list: typeof people, renamed?: string): string =>
        writeFile(
          dir,
          PA,
          personneActivite(
            list.flatMap((p) =>
              activityRows({
                ...p,
                nom: p.rpps === renamed ? 'NOUVEAU' : p.nom,
                situations: [liberalSite('38513152800016', 'CAB')],
              }),
            ),
          ),
        );
      assert.equal((await run([file(people)])).keptPersons, 0);
      const same = await run([file(people)]);
      assert.equal(same.keptPersons, 3);
      assert.deepEqual([same.release.counts.unchanged, same.release.counts.changed], [7, 0]);

      // One renamed, one gone: the renamed is rebuilt, the other two kept; the one gone is deactivated.
      const next = await run([file([doctor, nurse], nurse.rpps)]);
      assert.equal(next.keptPersons, 1);
      assert.deepEqual([next.release.counts.changed, next.release.counts.deactivated], [1, 2]);
      assert.deepEqual((await resource('Practitioner', `8${nurse.rpps}`))['name'][0].family, 'NOUVEAU');

      // Back with the very lines of the first import: the kept unit is stale (inactive), so it is rebuilt.
      const back = await run([file(people)]);
      assert.equal(back.keptPersons, 1);
      assert.equal((await resource('Practitioner', `8${rpps(3)}`))['active'], true);
      assert.equal((await resource('Practitioner', `8${nurse.rpps}`))['name'][0].family, 'MARTIN');
    });

    it('keeps a practice site built from the same line, rebuilds it when its mailboxes change or another professional describes it', async () => {
      // Both name the same practice; the doctor (first by national id) describes it.
      const site = liberalSite('38513152800016', 'CAB');
      const pa = (list: (typeof doctor)[]): string =>
        writeFile(
          dir,
          PA,
          personneActivite(
            list.flatMap((p) =>
              activityRows({
                ...p,
                situations: [{ ...site, raisonSociale: p === doctor ? 'CAB' : 'CABINET' }],
              }),
            ),
          ),
        );
      const mss = (withMailbox: boolean): string =>
        writeFile(
          dir,
          'Extraction_Correspondance_MSSante_202611220800.txt',
          mssante([
            { typeBal: 'PER', adresseBal: 'luc.martin@infirmier.mssante.fr', idNatPs: `8${nurse.rpps}` },
            ...(withMailbox
              ? [
                  {
                    typeBal: 'ORG',
                    adresseBal: 'accueil@cab.mssante.fr',
                    identificationStructure: site.structureId!,
                  },
                ]
              : []),
          ]),
        );
      const id = site.structureId!;
      await run([pa([doctor, nurse]), mss(false)]);
      assert.equal((await resource('Organization', id))['name'], 'CAB');

      const same = await run([pa([doctor, nurse]), mss(false)]);
      assert.equal(same.keptPersons, 2);
      assert.deepEqual([same.release.counts.unchanged, same.release.counts.changed], [5, 0]);
      assert.equal((await store.history('Organization', id)).length, 1);

      // A mailbox of the structure: the professionals are kept, the site is rebuilt with it.
      const mailbox = await run([pa([doctor, nurse]), mss(true)]);
      assert.equal(mailbox.keptPersons, 2);
      assert.deepEqual([mailbox.release.counts.unchanged, mailbox.release.counts.changed], [4, 1]);
      assert.match(
        JSON.stringify((await resource('Organization', id))['telecom']),
        /accueil@cab\.mssante\.fr/,
      );

      // The doctor leaves: the nurse, kept, now describes the site, rebuilt from her line.
      const left = await run([pa([nurse]), mss(true)]);
      assert.equal(left.keptPersons, 1);
      assert.equal((await resource('Organization', id))['name'], 'CABINET');
      assert.deepEqual([left.release.counts.changed, left.release.counts.deactivated], [1, 2]);
    });
  });
}
