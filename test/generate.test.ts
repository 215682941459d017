/** `annuaire generate`: the synthetic national dataset, checked on small scales. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import proj4 from 'proj4';
import yauzl from 'yauzl';
import { finessDigits } from '../src/domain/identifiers.js';
import { luhnValid } from '../src/domain/luhn.js';
import type { ProgressBar } from '../src/cli/progress.js';
import { generate } from '../src/generate/generate.js';
import { PROFESSIONS } from '../src/generate/professions.js';
import { crsOfSourceText, LAMBERT_93 } from '../src/sources/finess/crs.js';
import { loadNomenclatures } from '../src/nomenclature/load.js';
import { PORTEURS_CPS_CPF } from '../src/sources/cps/columns.js';
import { MSSANTE } from '../src/sources/mssante/columns.js';
import { DIPL_AUT_EXERC, PERSONNE_ACTIVITE, SAVOIR_FAIRE } from '../src/sources/rpps/columns.js';

const root = mkdtempSync(join(tmpdir(), 'annuaire-generate-'));
after(() => rmSync(root, { recursive: true, force: true }));
const nomenclatures = loadNomenclatures('data/nos');
const quiet = (): ProgressBar => ({ update: () => undefined, stop: () => undefined });

async function run(name: string, scale: number, seed: number, day: number): Promise<string> {
  const out = join(root, name);
  await generate({ out, scale, seed, day, nomenclatures, progress: quiet });
  return out;
}

function unzip(path: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const out = new Map<string, Buffer>();
    yauzl.open(path, { lazyEntries: true }, (err, zip) => {
      if (err) {
        return reject(err);
      }
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e) {
            return reject(e);
          }
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            out.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

/** Every entry of every zip of `dir`, and the FINESS CSV, as buffers by entry name. */
async function contents(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const f of readdirSync(dir).sort()) {
    const path = join(dir, f);
    if (!f.endsWith('.zip')) {
      files.set(f, readFileSync(path));
      continue;
    }
    for (const [name, data] of await unzip(path)) {
      files.set(name, data);
    }
  }
  return files;
}

const sha = (dir: string): Record<string, string> =>
  Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [
        f,
        createHash('sha256')
          .update(readFileSync(join(dir, f)))
          .digest('hex'),
      ]),
  );

const find = (files: Map<string, Buffer>, part: string): Buffer => {
  const name = [...files.keys()].find((k) => k.includes(part));
  assert.ok(name, `no file ${part}`);
  return files.get(name)!;
};

const linesOf = (b: Buffer, encoding: BufferEncoding = 'utf8'): string[] =>
  b
    .toString(encoding)
    .split('\n')
    .filter((l) => l !== '');

describe('annuaire generate', () => {
  let tiny: string;
  let small: string;
  let nextDay: string;
  let files: Map<string, Buffer>;

  before(async () => {
    tiny = await run('tiny', 0.0005, 7, 0);
    small = await run('small', 0.005, 3, 0);
    nextDay = await run('next-day', 0.005, 3, 1);
    files = await contents(small);
  });

  it('writes the same bytes for the same seed, different ones for another seed', async () => {
    const again = await run('tiny-again', 0.0005, 7, 0);
    const other = await run('tiny-other', 0.0005, 8, 0);
    assert.deepEqual(sha(again), sha(tiny));
    const a = sha(tiny);
    const b = sha(other);
    assert.deepEqual(Object.keys(b), Object.keys(a));
    for (const k of Object.keys(a)) {
      assert.notEqual(b[k], a[k], k);
    }
  });

  it('names the files with the extraction timestamp of the day', () => {
    assert.deepEqual(readdirSync(nextDay).sort(), [
      'Extraction_Correspondance_MSSante_202611020600.zip',
      'PS_LibreAcces_202611020600.zip',
      'Porteurs_CPS_CPF_202611020600.zip',
      'etalab-cs1100507-stock-20261102-0600.csv',
    ]);
    assert.ok(files.has('PS_LibreAcces_Personne_activite_202611010600.txt'));
    assert.ok(files.has('PS_LibreAcces_Dipl_AutExerc_202611010600.txt'));
    assert.ok(files.has('PS_LibreAcces_SavoirFaire_202611010600.txt'));
  });

  it('writes the exact headers and field counts, with a trailing | where the format has one', () => {
    const checks: [string, Record<string, string>, boolean, BufferEncoding][] = [
      ['Personne_activite', PERSONNE_ACTIVITE, true, 'utf8'],
      ['Dipl_AutExerc', DIPL_AUT_EXERC, true, 'utf8'],
      ['SavoirFaire', SAVOIR_FAIRE, true, 'utf8'],
      ['MSSante', MSSANTE, false, 'utf8'],
      ['Porteurs_CPS_CPF', PORTEURS_CPS_CPF, true, 'latin1'],
    ];
    for (const [part, columns, trailing, encoding] of checks) {
      const [header, ...rows] = linesOf(find(files, part), encoding);
      assert.equal(header, Object.values(columns).join('|') + (trailing ? '|' : ''), part);
      assert.ok(rows.length > 0, part);
      const width = Object.keys(columns).length + (trailing ? 1 : 0);
      for (const row of rows) {
        const fields = row.split('|');
        assert.equal(fields.length, width, `${part}: ${row}`);
        if (trailing) {
          assert.equal(fields[fields.length - 1], '', `${part}: ${row}`);
        }
      }
    }
    assert.equal(linesOf(find(files, 'Personne_activite'))[0]!.split('|').length, 57);
  });

  it('gives every RPPS, ADELI, FINESS, SIREN, SIRET and RPPS rang a valid key', () => {
    const [, ...rows] = linesOf(find(files, 'Personne_activite'));
    let adeli = 0;
    for (const row of rows) {
      const f = row.split('|');
      const [type, id, idNat] = f;
      assert.equal(idNat, type! + id!);
      if (type === '8') {
        assert.match(id!, /^1\d{10}$/);
      } else {
        assert.equal(type, '0');
        assert.match(id!, /^\d{9}$/);
        adeli++;
      }
      assert.ok(luhnValid(id!), `key of ${id}`);
      const siret = f[19]!;
      const siren = f[20]!;
      const finess = f[21]!;
      const structure = f[23]!;
      if (siret) {
        assert.ok(luhnValid(siret) && luhnValid(siren) && siret.startsWith(siren), siret);
      }
      if (finess) {
        assert.equal(structure, 'F' + finess);
        assert.ok(luhnValid(finessDigits(finess)) && luhnValid(finessDigits(f[22]!)), finess);
      }
      if (structure.startsWith('R')) {
        assert.ok(luhnValid(structure.slice(1)) && structure.slice(1, 12) === id, structure);
      }
    }
    assert.ok(adeli > 0, 'some ex-ADELI professionals');
    const [, ...cards] = linesOf(find(files, 'Porteurs_CPS_CPF'), 'latin1');
    const numbers = cards.map((c) => c.split('|')[11]!);
    assert.equal(new Set(numbers).size, numbers.length, 'card numbers are unique');
  });

  it('writes the CPS file in Windows-1252', () => {
    const cps = find(files, 'Porteurs_CPS_CPF');
    assert.equal(cps.indexOf(Buffer.from('é', 'utf8')), -1, 'no UTF-8 sequences');
    assert.ok(cps.includes(Buffer.from([0x50, 0x72, 0xe9, 0x6e, 0x6f, 0x6d])), '"Prénom" with é = 0xE9');
    const text = cps.toString('latin1');
    if (text.includes('É')) {
      assert.ok(cps.includes(0xc9));
    }
    assert.match(text, /\|\d{2}\/\d{2}\/\d{4}\|\d{2}\/\d{2}\/\d{4}\|/);
  });

  it('writes a FINESS file that a CSV parser reads back, quotes included', () => {
    const text = find(files, 'etalab').toString('utf8');
    assert.match(text.split('\n')[0]!, /^finess;etalab;\d+;2026-11-01$/);
    const records: string[][] = parse(text, { delimiter: ';', relax_column_count: true, from_line: 2 });
    const et = records.filter((r) => r[0] === 'structureet');
    const geo = records.filter((r) => r[0] === 'geolocalisation');
    assert.ok(et.length > 100);
    assert.equal(geo.length, et.length);
    for (const r of et) {
      assert.equal(r.length, 32);
      assert.ok(luhnValid(finessDigits(r[1]!)) && luhnValid(finessDigits(r[2]!)), r[1]);
      if (r[22]) {
        assert.ok(luhnValid(r[22]), r[22]);
      }
    }
    assert.ok(
      et.some((r) => r[3]!.includes('"')),
      'some names hold double quotes',
    );
    assert.ok(
      et.some((r) => r[3]!.includes(';')),
      'some names hold a ;',
    );
    for (const line of text.split('\n').filter((l) => l.startsWith('structureet'))) {
      assert.ok(line.endsWith(';'), line);
    }
    // The same establishment's address in the RPPS file.
    const byFiness = new Map(et.map((r) => [r[1]!, r]));
    const [, ...rows] = linesOf(find(files, 'Personne_activite'));
    let joined = 0;
    for (const row of rows) {
      const f = row.split('|');
      const e = byFiness.get(f[21]!);
      if (e) {
        joined++;
        assert.deepEqual([f[28], f[30], f[32], f[34], f[40]], [e[7], e[8], e[9], e[15], e[16]]);
      }
    }
    assert.ok(joined > 0);
  });

  it('projects positions back into France or the right overseas area', () => {
    const text = find(files, 'etalab').toString('utf8');
    const records: string[][] = parse(text, { delimiter: ';', relax_column_count: true, from_line: 2 });
    const dep = new Map(records.filter((r) => r[0] === 'structureet').map((r) => [r[1]!, r[13]!]));
    const boxes: Record<string, [number, number, number, number]> = {
      '9A': [15.8, 16.6, -61.9, -61.0],
      '9B': [14.3, 15.0, -61.3, -60.7],
      '9C': [2.0, 6.0, -55.0, -51.5],
      '9D': [-21.5, -20.8, 55.1, 56.0],
      '9E': [46.6, 47.2, -56.5, -56.0],
      '9F': [-13.1, -12.5, 44.9, 45.4],
    };
    const seen = new Set<string>();
    for (const r of records.filter((x) => x[0] === 'geolocalisation')) {
      const crs = crsOfSourceText(r[4]!);
      assert.ok(crs, r[4]);
      seen.add(crs.code);
      const [lon, lat] = proj4<[number, number]>(crs.proj4, 'WGS84', [Number(r[2]), Number(r[3])]);
      const [latMin, latMax, lonMin, lonMax] = boxes[dep.get(r[1]!)!] ?? [41.2, 51.2, -5.3, 9.7];
      assert.ok(lat >= latMin && lat <= latMax && lon >= lonMin && lon <= lonMax, `${r[1]} ${lat},${lon}`);
    }
    assert.ok(seen.has('EPSG:2154') && seen.has('EPSG:5490') && seen.has('EPSG:2975'), [...seen].join());
    const [lon, lat] = proj4<[number, number]>(LAMBERT_93.proj4, 'WGS84', [870262.2, 6571540.8]);
    assert.ok(Math.abs(lat - 46.2223) < 0.001 && Math.abs(lon - 5.2092) < 0.001);
  });

  it('keeps profession counts in national proportions, each profession present', async () => {
    const persons = new Map<string, string>();
    for (const row of linesOf(find(files, 'Personne_activite')).slice(1)) {
      const f = row.split('|');
      persons.set(f[2]!, `${f[9]}/${f[11]}`);
    }
    const count = (key: string): number => [...persons.values()].filter((v) => v === key).length;
    const ratio = count('60/C') / count('10/C');
    assert.ok(Math.abs(ratio - 700 / 230) < 0.2, `infirmiers / médecins = ${ratio}`);
    assert.ok(Math.abs(count('10/E') / count('10/C') - 40 / 230) < 0.03);
    const tinyFiles = await contents(tiny);
    const codes = new Set(
      linesOf(find(tinyFiles, 'Personne_activite'))
        .slice(1)
        .map((r) => r.split('|')[9]),
    );
    for (const p of PROFESSIONS) {
      assert.ok(codes.has(p.code), `${p.key} present`);
    }
  });

  it('gives each mailbox a unique address', () => {
    const [, ...rows] = linesOf(find(files, 'MSSante'));
    const addresses = rows.map((r) => r.split('|')[1]!);
    assert.equal(new Set(addresses).size, addresses.length);
    assert.ok(rows.some((r) => r.startsWith('PER|')));
    assert.ok(rows.some((r) => /^ORG\|[^|]*\|\|\|\|1\|F\d/.test(r)));
  });

  it('changes about 1% of professionals a day, with registrations and removals', async () => {
    const signatures = (fs: Map<string, Buffer>): Map<string, string> => {
      const m = new Map<string, string>();
      const add = (lines: string[], idAt: number): void => {
        for (const l of lines.slice(1)) {
          const id = l.split('|')[idAt]!;
          if (/^\d/.test(id)) {
            m.set(id, (m.get(id) ?? '') + l.replace(/\d{12}/g, ''));
          }
        }
      };
      add(linesOf(find(fs, 'Personne_activite')), 2);
      add(linesOf(find(fs, 'SavoirFaire')), 2);
      add(linesOf(find(fs, 'Dipl_AutExerc')), 2);
      add(linesOf(find(fs, 'MSSante')), 4);
      add(linesOf(find(fs, 'Porteurs_CPS_CPF'), 'latin1'), 2);
      return m;
    };
    const before0 = signatures(files);
    const after1 = signatures(await contents(nextDay));
    const added = [...after1.keys()].filter((k) => !before0.has(k)).length;
    const removed = [...before0.keys()].filter((k) => !after1.has(k)).length;
    const changed = [...before0.keys()].filter(
      (k) => after1.has(k) && after1.get(k) !== before0.get(k),
    ).length;
    const share = changed / before0.size;
    assert.ok(added > 0, 'new registrations');
    assert.ok(removed > 0, 'removed professionals');
    assert.ok(share > 0.003 && share < 0.025, `changed share ${share}`);
  });

  it('rejects bad options with a message naming the option', () => {
    for (const [args, pattern] of [
      [['--out', join(root, 'x'), '--scale=-1'], /--scale must be a positive number/],
      [['--out', join(root, 'x'), '--scale', 'abc'], /--scale must be a positive number/],
      [['--out', join(root, 'x'), '--day', '1.5'], /--day must be/],
      [['--scale', '1'], /--out is required/],
    ] as const) {
      const r = spawnSync(process.execPath, ['bin/annuaire.js', 'generate', ...args], { encoding: 'utf8' });
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, pattern);
    }
  });
});
