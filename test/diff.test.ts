/**
 * `annuaire diff`: extracts written from the format rules (support/national-files.ts) with known differences —
 * one professional added, one removed, one changed field — in both Personne_activite layouts, zipped or not;
 * and bad input refused with the file and line.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { EntityChange } from '../src/publish/diff/compare.js';
import { PORTEURS_CPS_CPF } from '../src/sources/cps/columns.js';
import { MSSANTE } from '../src/sources/mssante/columns.js';
import { diffExtracts, type DiffOptions, type DiffSummary } from '../src/publish/diff/diff-extracts.js';
import { PERSONNE_ACTIVITE as PA, PERSONNE_ACTIVITE_CURRENT_ONLY } from '../src/sources/rpps/columns.js';
import {
  activityRows,
  cps,
  diplomes,
  legacyLayout,
  liberalSite,
  mssante,
  personneActivite,
  rpps,
  savoirFaire,
  writeFile,
  writeZip,
  type Person,
} from './support/national-files.js';

const dir = mkdtempSync(join(tmpdir(), 'annuaire-diff-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const PA_OLD = 'PS_LibreAcces_Personne_activite_202611240800.txt';
const PA_NEW = 'PS_LibreAcces_Personne_activite_202611250800.txt';

let folders = 0;
const folder = (): string => {
  const d = join(dir, String(++folders));
  mkdirSync(d);
  return d;
};

const kept: Person = {
  rpps: rpps(1),
  nom: 'LEFÈVRE',
  prenom: 'HÉLÈNE',
  situations: [liberalSite('11111111100011', 'CABINET A')],
};
const leaving: Person = {
  rpps: rpps(2),
  nom: 'MARTIN',
  prenom: 'LUC',
  situations: [liberalSite('22222222200022', 'CABINET B')],
};
const changing: Person = {
  rpps: rpps(3),
  nom: 'DURAND',
  prenom: 'JEAN',
  situations: [liberalSite('33333333300033', 'CABINET C')],
};
const arriving: Person = {
  rpps: rpps(4),
  nom: 'PETIT',
  prenom: 'ANNE',
  situations: [liberalSite('44444444400044', 'CABINET D')],
};

const oldRows = [kept, leaving, changing].flatMap(activityRows);
// The changing professional: a new phone at the practice site; new lines in another order than the old.
const newRows = [
  ...activityRows(arriving),
  ...activityRows({
    ...changing,
    situations: [{ ...liberalSite('33333333300033', 'CABINET C'), telephone: '0102030405' }],
  }),
  ...activityRows(kept),
];

const id = (p: Person): string => `8${p.rpps!}`;
const situation = (p: Person, siret: string, role = true): string =>
  `${id(p)}/C${siret}/10/L${role ? '/FON-AU' : ''}`;

function expected(role: boolean): EntityChange[] {
  return sorted([
    { kind: 'professional', key: id(leaving), change: 'removed', fields: [] },
    { kind: 'situation', key: situation(leaving, '22222222200022', role), change: 'removed', fields: [] },
    {
      kind: 'situation',
      key: situation(changing, '33333333300033', role),
      change: 'changed',
      fields: [{ field: PA.telephone, old: '', new: '0102030405' }],
    },
    { kind: 'professional', key: id(arriving), change: 'added', fields: [] },
    { kind: 'situation', key: situation(arriving, '44444444400044', role), change: 'added', fields: [] },
  ]);
}

/** Changes in a fixed order (diff reports them in the order it finds them). */
const sorted = (changes: readonly EntityChange[]): EntityChange[] =>
  [...changes].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

async function diff(
  oldPath: string,
  newPath: string,
  more: Partial<DiffOptions> = {},
): Promise<{ changes: EntityChange[]; summary: DiffSummary }> {
  const changes: EntityChange[] = [];
  const summary = await diffExtracts({
    oldPath,
    newPath,
    onChange: (c) => changes.push(c),
    tmp: dir,
    ...more,
  });
  return { changes: sorted(changes), summary };
}

function annuaire(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/annuaire.js', ...args], {
    encoding: 'utf8',
    cwd: process.cwd(),
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('annuaire diff', () => {
  const oldPa = writeFile(folder(), PA_OLD, personneActivite(oldRows));
  const newPa = writeFile(folder(), PA_NEW, personneActivite(newRows));

  it('lists the professionals and situations added, removed and changed, with the changed fields', async () => {
    const { changes, summary } = await diff(oldPa, newPa);
    assert.deepEqual(changes, expected(true));
    assert.deepEqual(summary.files[0]!.notCompared, []);
    assert.deepEqual(Object.fromEntries(summary.counts), {
      professional: { added: 1, removed: 1, changed: 0 },
      situation: { added: 1, removed: 1, changed: 1 },
    });
  });

  it('streams files in the same order, and partitions what does not meet in time', async () => {
    assert.equal((await diff(oldPa, newPa)).summary.files[0]!.strategy, 'streamed');
    const spread = await diff(oldPa, newPa, { mergeBudget: 1, partitionBytes: 64 });
    assert.deepEqual(spread.changes, expected(true));
    assert.equal(spread.summary.files[0]!.strategy, 'streamed+partitions');
  });

  it('compares a Windows-1252 file by partitions', async () => {
    const old1252 = writeFile(
      folder(),
      PA_OLD,
      personneActivite(oldRows, { encoding: 'windows-1252', crlf: true }),
    );
    const { changes, summary } = await diff(old1252, newPa, { partitionBytes: 64 });
    assert.deepEqual(changes, expected(true));
    assert.equal(summary.files[0]!.strategy, 'partitions');
  });

  it('finds the right changes in a file whose person lines are not together', async () => {
    const two = {
      ...kept,
      situations: [liberalSite('11111111100011', 'CABINET A'), liberalSite('55555555500055', 'CABINET E')],
    };
    const [first, second] = activityRows(two);
    const old = writeFile(folder(), PA_OLD, personneActivite([first!, second!]));
    const scattered = writeFile(
      folder(),
      PA_NEW,
      personneActivite([first!, ...activityRows(arriving), second!]),
    );
    for (const [a, b, change] of [
      [old, scattered, 'added'],
      [scattered, old, 'removed'],
    ] as const) {
      const { changes } = await diff(a, b);
      assert.deepEqual(
        changes,
        sorted([
          { kind: 'professional', key: id(arriving), change, fields: [] },
          { kind: 'situation', key: situation(arriving, '44444444400044'), change, fields: [] },
        ]),
      );
    }
  });

  it('reports a changed person-level field on the professional', async () => {
    const renamed = personneActivite([kept].flatMap((p) => activityRows({ ...p, prenom: 'HÉLÈNE-MARIE' })));
    const { changes } = await diff(
      writeFile(folder(), PA_OLD, personneActivite(activityRows(kept))),
      writeFile(folder(), PA_NEW, renamed),
    );
    assert.deepEqual(changes, [
      {
        kind: 'professional',
        key: id(kept),
        change: 'changed',
        fields: [{ field: PA.prenomExercice, old: 'HÉLÈNE', new: 'HÉLÈNE-MARIE' }],
      },
    ]);
  });

  it('compares a 52-column file with a 56-column one on the columns both have', async () => {
    const legacy = writeFile(folder(), PA_OLD, personneActivite(oldRows, legacyLayout));
    const { changes, summary } = await diff(legacy, newPa);
    assert.deepEqual(changes, expected(false));
    assert.deepEqual(summary.files[0]!.notCompared, PERSONNE_ACTIVITE_CURRENT_ONLY);
    // The same files in the other direction: the same entities, added and removed swapped.
    const back = await diff(newPa, legacy);
    assert.deepEqual(
      back.changes.map((c) => `${c.kind} ${c.key} ${c.change}`).sort(),
      expected(false)
        .map(
          (c) => `${c.kind} ${c.key} ${{ added: 'removed', removed: 'added', changed: 'changed' }[c.change]}`,
        )
        .sort(),
    );
  });

  it('compares zips entry by entry, and a zip with one of its files', async () => {
    const zip = async (name: string, rows: typeof oldRows, diplomaCode: string): Promise<string> => {
      const ts = name.slice(-16, -4);
      const path = join(folder(), name);
      const person = {
        typeIdentifiant: '8',
        identifiant: kept.rpps!,
        idNatPs: id(kept),
        nomExercice: kept.nom,
        prenomExercice: kept.prenom,
      };
      await writeZip(path, {
        [`PS_LibreAcces_Personne_activite_${ts}.txt`]: personneActivite(rows),
        [`PS_LibreAcces_Dipl_AutExerc_${ts}.txt`]: diplomes([
          { ...person, codeTypeDiplome: 'DE', codeDiplome: diplomaCode },
        ]),
        [`PS_LibreAcces_SavoirFaire_${ts}.txt`]: savoirFaire([
          {
            ...person,
            codeProfession: '10',
            codeSavoirFaire: 'SM26',
            libelleSavoirFaire: 'Qualifié en médecine générale',
          },
        ]),
      });
      return path;
    };
    const oldZip = await zip('PS_LibreAcces_202611240800.zip', oldRows, 'DE01');
    const newZip = await zip('PS_LibreAcces_202611250800.zip', newRows, 'DE05');
    const both = await diff(oldZip, newZip);
    assert.deepEqual(
      both.changes,
      sorted([
        ...expected(true),
        { kind: 'diploma', key: `${id(kept)}/DE/DE01//`, change: 'removed', fields: [] },
        { kind: 'diploma', key: `${id(kept)}/DE/DE05//`, change: 'added', fields: [] },
      ]),
    );
    assert.deepEqual(
      both.summary.files.map((f) => f.kind),
      ['personne-activite', 'dipl-aut-exerc', 'savoir-faire'],
    );

    const zipTxt = await diff(oldZip, newPa);
    assert.deepEqual(zipTxt.changes, expected(true));
    assert.equal(zipTxt.summary.skipped.length, 2);
  });

  it('compares MSSanté and CPS/CPF extracts by mailbox and card', async () => {
    const box = {
      typeBal: 'PER',
      adresseBal: 'anne.petit@medecin.mssante.fr',
      idNatPs: id(arriving),
      nomExercice: 'PETIT',
    };
    const m = await diff(
      writeFile(folder(), 'Extraction_Correspondance_MSSante_202611240800.txt', mssante([box])),
      writeFile(
        folder(),
        'Extraction_Correspondance_MSSante_202611250800.txt',
        mssante([{ ...box, dematerialisation: 'True' }]),
      ),
    );
    assert.deepEqual(m.changes, [
      {
        kind: 'mailbox',
        key: box.adresseBal,
        change: 'changed',
        fields: [{ field: MSSANTE.dematerialisation, old: '', new: 'True' }],
      },
    ]);
    const card = {
      idNatPs: id(kept),
      identifiant: kept.rpps!,
      codeTypeCarte: 'CPS',
      numeroCarte: '2100000001',
      finValidite: '20270101',
    };
    const c = await diff(
      writeFile(folder(), 'Porteurs_CPS_CPF_202611240800.txt', cps([card])),
      writeFile(
        folder(),
        'Porteurs_CPS_CPF_202611250800.txt',
        cps([
          { ...card, dateOpposition: '20261125' },
          { ...card, numeroCarte: '2100000002' },
        ]),
      ),
    );
    assert.deepEqual(c.changes, [
      {
        kind: 'card',
        key: `${id(kept)}/CPS/2100000001`,
        change: 'changed',
        fields: [{ field: PORTEURS_CPS_CPF.dateOpposition, old: '', new: '20261125' }],
      },
      { kind: 'card', key: `${id(kept)}/CPS/2100000002`, change: 'added', fields: [] },
    ]);
  });

  it('writes csv or ndjson on stdout and the counts on stderr', () => {
    const csv = annuaire(['diff', oldPa, newPa]);
    assert.equal(csv.status, 0, csv.stderr);
    const role = (p: Person, siret: string): string => situation(p, siret);
    const [head, ...rest] = csv.stdout.split('\n');
    assert.equal(head, 'kind,key,change,field,old,new');
    assert.deepEqual(
      rest.sort(),
      [
        `professional,${id(leaving)},removed,,,`,
        `situation,${role(leaving, '22222222200022')},removed,,,`,
        `situation,${role(changing, '33333333300033')},changed,${PA.telephone},,0102030405`,
        `professional,${id(arriving)},added,,,`,
        `situation,${role(arriving, '44444444400044')},added,,,`,
        '',
      ].sort(),
    );
    assert.match(csv.stderr, /professional: 1 added, 1 removed, 0 changed/);
    assert.match(csv.stderr, /situation: 1 added, 1 removed, 1 changed/);

    const nd = annuaire(['diff', oldPa, newPa, '--format', 'ndjson']);
    assert.equal(nd.status, 0, nd.stderr);
    const objects = nd.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown);
    assert.equal(objects.length, 5);
    assert.deepEqual(
      objects.find((o) => (o as { change: string }).change === 'changed'),
      {
        kind: 'situation',
        key: role(changing, '33333333300033'),
        change: 'changed',
        fields: { [PA.telephone]: { old: '', new: '0102030405' } },
      },
    );
  });

  it('refuses bad input with the file and line, and a non-zero exit', () => {
    const unknown = writeFile(folder(), 'something.txt', Buffer.from('A|B|C|\n1|2|3|\n'));
    let r = annuaire(['diff', unknown, newPa]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /not a known national file/);
    assert.ok(r.stderr.includes(`${unknown}:1`), r.stderr);

    const box = writeFile(
      folder(),
      'Extraction_Correspondance_MSSante_202611250800.txt',
      mssante([{ typeBal: 'PER', adresseBal: 'a@b.mssante.fr' }]),
    );
    r = annuaire(['diff', oldPa, box]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /not extracts of the same kind/);
    assert.match(r.stderr, /personne-activite/);
    assert.match(r.stderr, /mssante/);

    const cut = writeFile(
      folder(),
      PA_NEW,
      Buffer.concat([personneActivite(newRows), Buffer.from(`${id(kept)}|x|y\n`)]),
    );
    r = annuaire(['diff', oldPa, cut]);
    assert.equal(r.status, 2);
    assert.ok(r.stderr.includes(`expected 56 fields, found 3 (${cut}:5)`), r.stderr);

    r = annuaire(['diff', oldPa, newPa, '--format', 'xml']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--format must be csv or ndjson/);
    r = annuaire(['diff', oldPa]);
    assert.equal(r.status, 2);
  });
});
