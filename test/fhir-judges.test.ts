/**
 * The independent judges on what the server emits (issue 4, point 8): every version of every resource imported
 * into a real SQLite store, and the NOS tables as CodeSystem resources, must validate against the R4 JSON schema
 * and the FHIRPath invariants of their StructureDefinitions (test/support/fhir-judge.ts). The imports: a small
 * generated national dataset, day 0 then day 1 with its changes and deactivated (minimal) versions; and a few
 * hand-written lines of the kinds the generator does not write.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ProgressBar } from '../src/cli/progress.js';
import { generate } from '../src/generate/generate.js';
import { composeSystem } from '../src/main.js';
import { isCodeSystem, toCodeSystem } from '../src/nomenclature/code-system.js';
import { importRelease } from '../src/reconcile/import-release.js';
import { openInputs } from '../src/sources/input/open-inputs.js';
import { createJudge } from './support/fhir-judge.js';
import {
  activityRows,
  cps,
  diplomes,
  finessFile,
  finessSite,
  liberalSite,
  mssante,
  personneActivite,
  rpps,
  writeFile,
} from './support/national-files.js';
import { sqliteStores, type TestStore } from './support/stores.js';

const SCALE = 0.001;
const SEED = 11;
const PA = 'PS_LibreAcces_Personne_activite_202611220800.txt';

/** Problems one per line, at most `limit` of them, then how many more. */
function verdict(problems: readonly string[], limit = 40): string {
  const shown = problems.slice(0, limit).join('\n');
  return problems.length > limit ? `${shown}\n… ${problems.length - limit} more` : shown;
}

describe('FHIR judges', () => {
  const judge = createJudge();
  const nomenclatures = composeSystem().nomenclatures();
  const root = mkdtempSync(join(tmpdir(), 'annuaire-judges-'));
  const stores: TestStore[] = [];

  const store = async (): Promise<TestStore> => {
    const t = await sqliteStores();
    stores.push(t);
    return t;
  };

  const importFiles = async (t: TestStore, paths: readonly string[], source: string): Promise<void> => {
    const inputs = await openInputs(paths);
    try {
      await importRelease({ store: t.store, nomenclatures, files: inputs.files, source });
    } finally {
      inputs.close();
    }
  };

  /** Judges every version the store holds: `Type/id/_history/n: problem` lines. */
  const judgeAll = async (
    t: TestStore,
  ): Promise<{ problems: string[]; types: string[]; inactive: number }> => {
    const problems: string[] = [];
    const types = new Set<string>();
    let inactive = 0;
    for (let afterSeq = 0; ;) {
      const page = await t.store.changes({ afterSeq, limit: 1000 });
      if (page.length === 0) {
        break;
      }
      for (const v of page) {
        afterSeq = v.seq;
        if (v.deleted) {
          continue;
        }
        types.add(v.resourceType);
        inactive += v.active ? 0 : 1;
        const where = `${v.resourceType}/${v.id}/_history/${v.versionId}`;
        problems.push(...judge.judge(JSON.parse(v.json) as object).map((p) => `${where}: ${p}`));
      }
    }
    return { problems, types: [...types].sort(), inactive };
  };

  let generated: TestStore;

  before(async () => {
    generated = await store();
    const quiet = (): ProgressBar => ({ update: () => undefined, stop: () => undefined });
    for (const day of [0, 1]) {
      const out = join(root, `day${day}`);
      await generate({ out, scale: SCALE, seed: SEED, day, nomenclatures, progress: quiet });
      await importFiles(
        generated,
        readdirSync(out).map((f) => join(out, f)),
        `day ${day}`,
      );
    }
  });
  after(async () => {
    for (const t of stores) {
      await t.dispose();
    }
    rmSync(root, { recursive: true, force: true });
  });

  it('finds every version of every resource of a generated dataset valid', async () => {
    const { problems, types, inactive } = await judgeAll(generated);
    assert.deepEqual(types, ['Organization', 'Practitioner', 'PractitionerRole']);
    assert.ok(inactive > 0, 'day 1 deactivated some resources: their minimal versions are judged too');
    assert.deepEqual(problems, [], verdict(problems));
  });

  it('finds the resources of unusual lines valid', async () => {
    const dir = join(root, 'unusual');
    mkdirSync(dir);
    const doctor = rpps(1);
    const ids = { typeIdentifiant: '8', identifiant: doctor, idNatPs: `8${doctor}` };
    const lines = [
      ...activityRows({
        rpps: doctor,
        nom: 'LEFÈVRE',
        prenom: 'HÉLÈNE',
        situations: [liberalSite('38513152800016', 'CAB')],
      }),
      // Neither name nor first name: an ex-ADELI nurse at a FINESS site.
      ...activityRows({
        adeli: '012600631',
        nom: '',
        prenom: '',
        profession: '60',
        situations: [finessSite('010000024')],
      }),
      // A pharmacist at a site known only by its sign, abroad, without address lines.
      ...activityRows({
        rpps: rpps(2),
        nom: 'MARTIN',
        prenom: 'LUC',
        profession: '21',
        situations: [
          {
            codeCiviliteExercice: 'DR',
            codeModeExercice: 'L',
            structureId: 'R10000000002101',
            enseigne: 'PHARMACIE DU PORT',
            codePays: '99132',
            libellePays: 'ROYAUME-UNI',
            codeSectionPharmacien: 'A',
          },
        ],
      }),
    ];
    const files = [
      writeFile(dir, PA, personneActivite(lines)),
      writeFile(
        dir,
        'PS_LibreAcces_Dipl_AutExerc_202611220800.txt',
        diplomes([{ ...ids, codeTypeAutorisation: 'AM01', codeDisciplineAutorisation: 'DAUT01' }]),
      ),
      // A card whose validity ends before it starts; another with only an opposition date.
      writeFile(
        dir,
        'Porteurs_CPS_CPF_202611220800.txt',
        cps([
          {
            ...ids,
            codeTypeCarte: 'CPS',
            numeroCarte: '1',
            debutValidite: '2026-01-01',
            finValidite: '2023-01-01',
          },
          { ...ids, codeTypeCarte: 'CPF', numeroCarte: '2', dateOpposition: '2025-06-30' },
        ]),
      ),
      writeFile(
        dir,
        'Extraction_Correspondance_MSSante_202611220800.txt',
        mssante([
          {
            typeBal: 'PER',
            adresseBal: 'h.lefevre@medecin.mssante.fr',
            idNatPs: `8${doctor}`,
            serviceRattachement: 'Cardiologie',
            dematerialisation: 'False',
          },
          { typeBal: 'ORG', adresseBal: 'accueil@ch.mssante.fr', identificationStructure: 'F010000024' },
        ]),
      ),
      writeFile(
        dir,
        'etalab-cs1100507-stock-20261122-0800.csv',
        finessFile([{ finess: '010000024', ej: '010780054', name: 'CH' }]),
      ),
    ];
    const t = await store();
    await importFiles(t, files, 'unusual lines');
    // The next day's extract lists only the nurse: the others become inactive.
    await importFiles(t, [writeFile(dir, PA, personneActivite(lines.slice(1, 2)))], 'the next day');
    const { problems, inactive } = await judgeAll(t);
    assert.ok(inactive > 0);
    assert.deepEqual(problems, [], verdict(problems));
  });

  it('finds every NOS table that is a code system valid as a CodeSystem', () => {
    const tables = [...nomenclatures.tables()].filter(isCodeSystem);
    assert.ok(tables.length > 40);
    const problems = tables.flatMap((table) => {
      const cs = toCodeSystem(table);
      return judge.judge(cs).map((p) => `CodeSystem/${cs.id}: ${p}`);
    });
    assert.deepEqual(problems, [], verdict(problems));
  });
});
