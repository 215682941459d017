/**
 * `annuaire generate`: writes a synthetic national dataset in the real extracts' formats — the RPPS zip
 * (Personne_activite, Dipl_AutExerc, SavoirFaire), the MSSanté zip, the CPS/CPF zip and the FINESS etalab CSV —
 * for a scale, a seed and a day. The same (scale, seed, day) always gives the same bytes; day D is day 0 plus D
 * days of registrations, changes and removals. Files are streamed: memory holds the FINESS establishments and
 * the MSSanté address set, never the population.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProgressFactory } from '../cli/progress.js';
import type { Nomenclatures } from '../nomenclature/nomenclatures.js';
import { instantOfDay, isoDate, stamp12 } from './calendar.js';
import { buildEstablishments } from './establishments.js';
import { cpsSource } from './files/cps.js';
import { finessSource } from './files/finess.js';
import { mssanteSource } from './files/mssante.js';
import {
  diplomaSource,
  personneActiviteSource,
  savoirFaireSource,
  type Tick,
} from './files/ps-libre-acces.js';
import { loadGeography } from './geography.js';
import { Labels } from './labels.js';
import { populationAt, slotsAt } from './population.js';
import { buildPractices } from './practices.js';
import { PractitionerFactory, type World } from './practitioner.js';
import { writeText, writeZip, type WrittenEntry } from './zip.js';

export interface GenerateOptions {
  readonly out: string;
  readonly scale: number;
  readonly seed: number;
  readonly day: number;
  readonly nomenclatures: Nomenclatures;
  readonly progress: ProgressFactory;
}

export interface GeneratedFile {
  readonly name: string;
  readonly size: number;
  readonly entries: readonly WrittenEntry[];
}

/** Builds the shared, read-only world of a run: population counts, establishments, practice pools. */
export function buildWorld(scale: number, seed: number, day: number, nomenclatures: Nomenclatures): World {
  const geography = loadGeography();
  const population = populationAt(scale, seed);
  return {
    seed,
    day,
    population,
    establishments: buildEstablishments(seed, scale, day, geography, nomenclatures),
    practices: buildPractices(seed, population, geography),
  };
}

export async function generate(options: GenerateOptions): Promise<GeneratedFile[]> {
  const { out, scale, seed, day, nomenclatures, progress } = options;
  await mkdir(out, { recursive: true });
  const world = buildWorld(scale, seed, day, nomenclatures);
  const labels = new Labels(nomenclatures);
  const stamp = stamp12(day);
  const when = instantOfDay(day);
  const slots = slotsAt(world.population, day);
  const files: GeneratedFile[] = [];

  /** Each pass over the population recomputes people from the seed (cheap), so passes share nothing mutable. */
  const pass = (label: string): { tick: Tick; done: () => void; factory: PractitionerFactory } => {
    const bar = progress(label, slots, 'items');
    return { tick: (n) => bar.update(n), done: () => bar.stop(), factory: new PractitionerFactory(world) };
  };

  {
    const pa = pass('Personne_activite');
    const di = pass('Dipl_AutExerc');
    const sf = pass('SavoirFaire');
    const name = `PS_LibreAcces_${stamp}.zip`;
    const r = await writeZip(join(out, name), when, [
      {
        name: `PS_LibreAcces_Personne_activite_${stamp}.txt`,
        ...personneActiviteSource(world, pa.factory, labels, pa.tick),
      },
      {
        name: `PS_LibreAcces_Dipl_AutExerc_${stamp}.txt`,
        ...diplomaSource(world, di.factory, labels, di.tick),
      },
      { name: `PS_LibreAcces_SavoirFaire_${stamp}.txt`, ...savoirFaireSource(sf.factory, labels, sf.tick) },
    ]);
    pa.done();
    di.done();
    sf.done();
    files.push({ name, size: r.size, entries: r.entries });
  }
  {
    const p = pass('MSSanté');
    const name = `Extraction_Correspondance_MSSante_${stamp}.zip`;
    const r = await writeZip(join(out, name), when, [
      {
        name: `Extraction_Correspondance_MSSante_${stamp}.txt`,
        ...mssanteSource(world, p.factory, labels, p.tick),
      },
    ]);
    p.done();
    files.push({ name, size: r.size, entries: r.entries });
  }
  {
    const p = pass('Porteurs CPS/CPF');
    const name = `Porteurs_CPS_CPF_${stamp}.zip`;
    const r = await writeZip(join(out, name), when, [
      { name: `Porteurs_CPS_CPF_${stamp}.txt`, ...cpsSource(p.factory, labels, p.tick) },
    ]);
    p.done();
    files.push({ name, size: r.size, entries: r.entries });
  }
  {
    const name = `etalab-cs1100507-stock-${isoDate(day).replace(/-/g, '')}-${stamp.slice(8)}.csv`;
    const r = await writeText(join(out, name), name, finessSource(world.establishments));
    files.push({ name, size: r.size, entries: [r.entry] });
  }
  return files;
}
