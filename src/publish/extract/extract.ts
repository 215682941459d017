/**
 * `annuaire extract`: the public open-data files of the latest release, in the official formats
 * (../shared/reference/annuaire-formats.md §1–2), named with the release's stamp:
 * - `PS_LibreAcces_STAMP.zip` with Personne_activite (the current 56-column layout), Dipl_AutExerc and
 *   SavoirFaire, UTF-8, `|` with a trailing `|`;
 * - `Extraction_Correspondance_MSSante_STAMP.zip` (31 columns, UTF-8, no trailing `|`);
 * - `Porteurs_CPS_CPF_STAMP.zip` (Windows-1252, as the generator and the believed real file).
 *
 * Written from the current, active resources as the public perimeter shows them (the open-data files are
 * public): one pass over the Practitioners by id with their roles and sites, a page at a time, then one over the
 * Organizations for the structures' mailboxes. The lines go to temporary files in a work folder inside the
 * output folder, then each zip is published atomically with its SHA-256 (published-file.ts). With an earlier
 * extract of the same kind in the folder, the delta between the two is published too (delta.ts).
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import yazl from 'yazl';
import { AnnuaireError } from '../../error.js';
import { encodeCp1252 } from '../../generate/encoding.js';
import { headerOf, rowWriter } from '../../generate/files/rows.js';
import { zipTime } from '../../generate/zip.js';
import type { Nomenclatures } from '../../nomenclature/nomenclatures.js';
import { PORTEURS_CPS_CPF } from '../../sources/cps/columns.js';
import { MSSANTE } from '../../sources/mssante/columns.js';
import { DIPL_AUT_EXERC, PERSONNE_ACTIVITE, SAVOIR_FAIRE } from '../../sources/rpps/columns.js';
import type { Resource, Store } from '../../store/store.js';
import { CodeReader } from './codes.js';
import { activePages, organizationsById, rolesOf } from './current-resources.js';
import { writeDeltas, type DeltaFormat } from './delta.js';
import { LineFile } from './line-file.js';
import { mailboxColumns, mailboxesOf } from './mailbox-columns.js';
import { extractName, stampOf, type ExtractKind } from './names.js';
import { personRows } from './person-rows.js';
import { publishStream, type PublishedFile } from './published-file.js';
import { referenceId } from './json.js';

export interface ExtractProgress {
  /** Resources of the step done so far, of `total` (an estimate: the active ones at the start). */
  readonly step: (label: string, done: number, total: number) => void;
  readonly finished?: () => void;
}

export interface ExtractOptions {
  readonly store: Store;
  readonly nomenclatures: Nomenclatures;
  readonly out: string;
  readonly progress?: ExtractProgress;
  /** The format of the deltas to an earlier extract in `out` (default csv). */
  readonly deltaFormat?: DeltaFormat;
  /**
   * The stamp in the names, `YYYYMMDDhhmm`; default: the release's commit time (UTC). Two releases committed
   * within the same minute get the same stamp: the later extract replaces the earlier.
   */
  readonly stamp?: string;
}

export interface ExtractResult {
  readonly release: number;
  readonly stamp: string;
  readonly files: readonly (PublishedFile & { readonly lines: Readonly<Record<string, number>> })[];
  readonly deltas: readonly PublishedFile[];
  readonly practitioners: number;
}

/** Organizations kept between pages (sites named by many professionals); cleared when full. */
const ORGANIZATION_CACHE = 20_000;

export async function extract(options: ExtractOptions): Promise<ExtractResult> {
  const { store } = options;
  const asOf = await store.currentRelease();
  const release = asOf > 0 ? await store.release(asOf) : undefined;
  if (!release) {
    throw new AnnuaireError(422, 'processing', 'the store holds no release: nothing to extract');
  }
  const stamp = options.stamp ?? stampOf(release.committedAt);
  if (!/^\d{12}$/.test(stamp)) {
    throw new AnnuaireError(400, 'invalid', `stamp "${stamp}" is not YYYYMMDDhhmm`);
  }
  const counts = (await store.info()).counts;
  await mkdir(options.out, { recursive: true });
  const work = await mkdtemp(join(options.out, '.extract-'));
  const files = new Map<string, LineFile>();
  const open = (name: string, encode?: (t: string) => Buffer): LineFile => {
    const f = new LineFile(join(work, name), encode);
    files.set(name, f);
    return f;
  };
  try {
    const names = {
      activite: `PS_LibreAcces_Personne_activite_${stamp}.txt`,
      diplomes: `PS_LibreAcces_Dipl_AutExerc_${stamp}.txt`,
      savoirFaire: `PS_LibreAcces_SavoirFaire_${stamp}.txt`,
      mssante: `Extraction_Correspondance_MSSante_${stamp}.txt`,
      cps: `Porteurs_CPS_CPF_${stamp}.txt`,
    };
    const out = {
      activite: open(names.activite),
      diplomes: open(names.diplomes),
      savoirFaire: open(names.savoirFaire),
      mssante: open(names.mssante),
      cps: open(names.cps, encodeCp1252),
    };
    const rows = {
      activite: rowWriter(PERSONNE_ACTIVITE, '|', true),
      diplomes: rowWriter(DIPL_AUT_EXERC, '|', true),
      savoirFaire: rowWriter(SAVOIR_FAIRE, '|', true),
      mssante: rowWriter(MSSANTE, '|', false),
      cps: rowWriter(PORTEURS_CPS_CPF, '|', true),
    };
    await out.activite.write(headerOf(PERSONNE_ACTIVITE, '|', true));
    await out.diplomes.write(headerOf(DIPL_AUT_EXERC, '|', true));
    await out.savoirFaire.write(headerOf(SAVOIR_FAIRE, '|', true));
    await out.mssante.write(headerOf(MSSANTE, '|', false));
    await out.cps.write(headerOf(PORTEURS_CPS_CPF, '|', true));

    const codes = new CodeReader(options.nomenclatures);
    const cache = new Map<string, Resource>();
    let practitioners = 0;
    const totalPractitioners = counts['Practitioner']?.active ?? 0;
    for await (const page of activePages(store, 'Practitioner', asOf)) {
      const roles = await rolesOf(
        store,
        page.map((p) => p.id),
        asOf,
      );
      const wanted = new Set<string>();
      for (const list of roles.values()) {
        for (const role of list) {
          const id = referenceId(role['organization'], 'Organization');
          if (id !== '' && !cache.has(id)) {
            wanted.add(id);
          }
        }
      }
      if (cache.size + wanted.size > ORGANIZATION_CACHE) {
        cache.clear();
      }
      for (const [id, org] of await organizationsById(store, [...wanted], asOf)) {
        cache.set(id, org);
      }
      for (const practitioner of page) {
        const r = personRows(practitioner, roles.get(practitioner.id) ?? [], cache, codes);
        for (const line of r.activites) {
          await out.activite.write(rows.activite(line));
        }
        for (const line of r.diplomes) {
          await out.diplomes.write(rows.diplomes(line));
        }
        for (const line of r.savoirFaire) {
          await out.savoirFaire.write(rows.savoirFaire(line));
        }
        for (const line of r.cartes) {
          await out.cps.write(rows.cps(line));
        }
        for (const line of r.mailboxes) {
          await out.mssante.write(rows.mssante(line));
        }
      }
      practitioners += page.length;
      options.progress?.step('Practitioner', practitioners, totalPractitioners);
    }
    cache.clear();

    // The structures' own mailboxes (organisational ones), after the professionals', as the national file.
    let organizations = 0;
    const totalOrganizations = counts['Organization']?.active ?? 0;
    for await (const page of activePages(store, 'Organization', asOf)) {
      for (const org of page) {
        for (const m of mailboxesOf(org)) {
          await out.mssante.write(
            rows.mssante({
              ...mailboxColumns(m),
              identificationStructure: org.id,
              raisonSociale: typeof org['name'] === 'string' ? org['name'] : '',
            }),
          );
        }
      }
      organizations += page.length;
      options.progress?.step('Organization', organizations, totalOrganizations);
    }
    for (const f of files.values()) {
      await f.close();
    }

    const mtime = new Date(release.committedAt);
    const zips: [ExtractKind, LineFile[]][] = [
      ['PS_LibreAcces', [out.activite, out.diplomes, out.savoirFaire]],
      ['Extraction_Correspondance_MSSante', [out.mssante]],
      ['Porteurs_CPS_CPF', [out.cps]],
    ];
    const published: ExtractResult['files'][number][] = [];
    for (const [kind, entries] of zips) {
      const zip = new yazl.ZipFile();
      for (const e of entries) {
        zip.addFile(e.path, e.path.slice(work.length + 1), {
          mtime: zipTime(mtime),
          forceDosTimestamp: true,
          compressionLevel: 6,
        });
      }
      zip.end();
      const file = await publishStream(options.out, extractName(kind, stamp), zip.outputStream as never);
      published.push({
        ...file,
        lines: Object.fromEntries(entries.map((e) => [e.path.slice(work.length + 1), e.lines])),
      });
    }
    const deltas = await writeDeltas({
      dir: options.out,
      work,
      stamp,
      format: options.deltaFormat ?? 'csv',
    });
    return { release: asOf, stamp, files: published, deltas, practitioners };
  } finally {
    for (const f of files.values()) {
      f.destroy();
    }
    await rm(work, { recursive: true, force: true });
    options.progress?.finished?.();
  }
}
