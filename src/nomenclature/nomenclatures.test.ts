import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DATA_DIR } from '../main.js';
import { isCodeSystem, toCodeSystem } from './code-system.js';
import { loadNomenclatures, parseNosCsv } from './load.js';

const nos = loadNomenclatures(`${DATA_DIR}nos`);
const G15 = 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante';

describe('NOS nomenclatures', () => {
  it('vendors every table with its canonical URL', () => {
    assert.equal([...nos.tables()].length, 52);
    assert.equal(nos.table('TRE_G15-ProfessionSante')?.info.url, G15);
    assert.equal(nos.byUrl(G15)?.info.name, 'TRE_G15-ProfessionSante');
    assert.equal(nos.table('TRE_R210-ActeSpecifique')?.size, 1305);
  });

  it('resolves a code to its system and display', () => {
    assert.deepEqual(nos.resolve({ table: 'TRE_G15-ProfessionSante', code: '10' }), {
      resolved: { system: G15, code: '10', display: 'Médecin', known: true, active: true },
    });
  });

  it('tells a retired code from an active one', () => {
    const retired = nos.resolve({ table: 'TRE_G08-TypeIdentifiantPersonne', code: '2' }).resolved;
    assert.equal(retired.known, true);
    assert.equal(retired.active, false);
    assert.equal(nos.table('TRE_G08-TypeIdentifiantPersonne')?.lookup('2', '2019-01-01').known, true);
    const before = nos.table('TRE_G08-TypeIdentifiantPersonne')?.lookup('2', '2019-01-01');
    assert.ok(before?.known && before.active);
  });

  it('keeps an unknown code with the source display, and flags it', () => {
    const { resolved, warning } = nos.resolve({
      table: 'TRE_G15-ProfessionSante',
      code: '99',
      sourceDisplay: 'Nouveau',
    });
    assert.deepEqual(resolved, { system: G15, code: '99', display: 'Nouveau', known: false, active: true });
    assert.equal(warning?.code, 'unknown-code');
    const table = nos.resolve({ table: 'TRE_R999-Inconnue', code: 'X' });
    assert.equal(table.resolved.code, 'X');
    assert.equal(table.warning?.code, 'unknown-table');
  });

  it('serves a table as a FHIR CodeSystem', () => {
    const cs = toCodeSystem(nos.table('TRE_G08-TypeIdentifiantPersonne')!);
    assert.equal(cs.resourceType, 'CodeSystem');
    assert.equal(cs.id, 'TRE-G08-TypeIdentifiantPersonne');
    assert.equal(cs.url, nos.table('TRE_G08-TypeIdentifiantPersonne')?.info.url);
    assert.equal(cs.content, 'complete');
    assert.equal(cs.count, cs.concept.length);
    assert.deepEqual(
      cs.concept.find((c) => c.code === '2'),
      { code: '2', display: 'N° DRASS', property: [{ code: 'dateFin', valueDateTime: '2020-05-29' }] },
    );
    assert.equal(toCodeSystem(nos.table('TRE_R210-ActeSpecifique')!).content, 'fragment');
  });

  it('serves no value set as a CodeSystem', () => {
    const jdv = nos.table('JDV_J116-GenreActivite-ENREG')!;
    assert.equal(isCodeSystem(jdv), false);
    assert.equal(isCodeSystem(nos.table('TRE_R22-GenreActivite')!), true);
    assert.throws(() => toCodeSystem(jdv), /JDV_J116-GenreActivite-ENREG is a value set, not a code system/);
  });

  it('reports a malformed table with its file and line', () => {
    assert.throws(() => parseNosCsv('code;display\n', 'x.csv'), /x\.csv:1/);
    assert.throws(
      () => parseNosCsv('code;display;dateFin\n10;Médecin\n', 'x.csv'),
      /x\.csv:2: expected 3 fields/,
    );
    assert.deepEqual(parseNosCsv('\uFEFFcode;display;dateFin\r\n1;Un "quoted";\r\n', 'x.csv'), [
      { code: '1', display: 'Un "quoted"' },
    ]);
  });
});
