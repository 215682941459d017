/**
 * An import (phase 2 after sources/read-release.ts): builds the release's resources from what the files said,
 * writes them in one release, deactivates what a full extract no longer lists, and commits — or rolls back
 * whole, leaving the store exactly as it was, when too many lines were rejected or anything fails.
 *
 * What each kind of file governs: PS_LibreAcces (Personne_activite) lists the professionals, their situations
 * and the practice sites that are not FINESS establishments; the FINESS file lists the establishments and their
 * legal entities. Only the kinds present in a release can deactivate what they govern. The MSSanté, CPS and
 * diploma/savoir-faire files complete professionals, so they come with the Personne_activite file.
 */
import { createHash, hash as oneShotHash } from 'node:crypto';
import type { Rejection, ReleaseCounts } from '../domain/release.js';
import { AnnuaireError, invalid } from '../error.js';
import type { Nomenclatures } from '../nomenclature/nomenclatures.js';
import { cpsRow, type CpsRow } from '../sources/cps/rows.js';
import { projectionOf, wgs84Projector } from '../sources/finess/projection.js';
import type { SourceFile } from '../sources/input/source-file.js';
import { mssanteRow, type MssanteRow } from '../sources/mssante/rows.js';
import { readRelease, type FileSummary, type ReadRelease } from '../sources/read-release.js';
import {
  diplAutExercRow,
  personneActiviteRow,
  savoirFaireRow,
  type DiplAutExercRow,
  type PersonneActiviteRow,
  type SavoirFaireRow,
} from '../sources/rpps/rows.js';
import { Staging, type StagedPerson } from '../sources/staging.js';
import type { Release, ReleaseWriter, Resource, ResourceKey, SourceUnit, Store } from '../store/store.js';
import { BatchWriter } from './batch-writer.js';
import { Coder, professionTable } from './coder.js';
import { deactivated } from './deactivation.js';
import {
  establishmentOrganization,
  finessStructureId,
  legalEntityOrganization,
  siteOrganization,
  type OrganizationContext,
} from './organization.js';
import { personResources, type PersonLines } from './person.js';

export interface ImportProgress {
  /** Reading a file: bytes read of its size, lines so far. */
  readonly reading?: (file: SourceFile, bytesRead: number, lines: number) => void;
  /** Writing: staged lines consumed of `total`. */
  readonly writing?: (done: number, total: number) => void;
  readonly finished?: () => void;
}

export interface ImportOptions {
  readonly store: Store;
  readonly nomenclatures: Nomenclatures;
  readonly files: readonly SourceFile[];
  /** What the release records as its source, and the checksums of the files given. */
  readonly source: string;
  readonly checksums?: Readonly<Record<string, string>>;
  /** Share of rejected lines above which the release is refused (default 1%). */
  readonly rejectionThreshold?: number;
  readonly progress?: ImportProgress;
  /** Where the staging file goes (default: the system's temporary folder). */
  readonly stagingDir?: string;
  readonly timestamp?: Date;
}

export interface ImportResult {
  readonly release: Release;
  /** Professionals whose lines had not changed since the last import: kept without being rebuilt. */
  readonly keptPersons: number;
  readonly files: readonly FileSummary[];
  readonly warnings: readonly string[];
}

/** Warnings kept in a release report; the rest are counted. */
const REPORTED_WARNINGS = 1000;

const PERSON_COMPLEMENTS = ['dipl-aut-exerc', 'savoir-faire', 'mssante', 'cps'] as const;

export async function importRelease(options: ImportOptions): Promise<ImportResult> {
  const threshold = options.rejectionThreshold ?? 0.01;
  const staging = Staging.create(options.stagingDir);
  try {
    const read = await readRelease(
      options.files,
      staging,
      { isProfession: (code) => professionTable(options.nomenclatures, code) !== undefined },
      options.progress?.reading,
    );
    checkKinds(read);
    checkRejections(read, threshold);
    // Sorted and hashed by a worker thread from now on, while the establishments are written.
    const seed = unitSeed(read, options.nomenclatures);
    const persons = read.kinds.has('personne-activite')
      ? staging.chunks(PERSON_CHUNK, { seed, kindOf: kindsBySrc(read) })
      : undefined;

    const writer = await options.store.beginRelease({
      source: options.source,
      ...(options.checksums ? { checksums: options.checksums } : {}),
      ...(options.timestamp ? { timestamp: options.timestamp } : {}),
    });
    try {
      const warnings: string[] = [];
      let moreWarnings = 0;
      const warn = (message: string): void => {
        if (warnings.length < REPORTED_WARNINGS) {
          warnings.push(message);
        } else {
          moreWarnings++;
        }
      };
      const coder = new Coder(options.nomenclatures, new Date().toISOString().slice(0, 10));
      const out = new BatchWriter(writer);
      const written = new Set<string>();
      const ctx: OrganizationContext = { coder, mailboxes: read.structureMailboxes, warn };
      const hasFiness = read.kinds.has('finess');
      const hasPersons = read.kinds.has('personne-activite');

      if (hasFiness) {
        await writeEstablishments(read, ctx, out, written);
      }
      const keptPersons = persons
        ? await writePersons(read, seed, staging.size, persons, ctx, out, written, options, hasFiness, writer)
        : 0;
      for (const id of read.structureMailboxes.keys()) {
        if (!written.has(id)) {
          warn(`mailboxes of structure ${id}: no such structure in this release, not published`);
        }
      }
      await out.flush();

      // What a full extract no longer lists becomes inactive in a new version.
      const governs = (type: string, id: string): boolean =>
        type !== 'Organization' ? hasPersons : id.startsWith('F') ? hasFiness : hasPersons;
      for (const type of ['Practitioner', 'PractitionerRole', 'Organization']) {
        for await (const ids of writer.absent(type)) {
          for (const id of ids.filter((i) => governs(type, i))) {
            const current = await options.store.read(type, id);
            if (current && current.json !== '') {
              await out.add(deactivated(JSON.parse(current.json) as Resource));
            }
          }
          await out.flush();
        }
      }

      for (const line of coder.report()) {
        warn(line);
      }
      const counts: Partial<ReleaseCounts> = { read: read.read, rejected: read.rejected };
      const release = await writer.commit({
        counts,
        report: {
          rejections: read.rejections,
          ...(read.rejected > read.rejections.length
            ? { moreRejections: read.rejected - read.rejections.length }
            : {}),
          warnings: [
            ...read.files.map((f) => ({
              file: f.location,
              message: `${f.kind}, ${f.encoding}, ${f.lines} lines, ${f.rejected} rejected`,
            })),
            ...warnings.map((message) => ({ file: '', message })),
            ...(moreWarnings > 0 ? [{ file: '', message: `${moreWarnings} more warnings` }] : []),
          ],
        },
      });
      return { release, keptPersons, files: read.files, warnings };
    } catch (e) {
      await writer.rollback();
      throw e;
    }
  } finally {
    options.progress?.finished?.();
    staging.close();
  }
}

function checkKinds(read: ReadRelease): void {
  const complements = PERSON_COMPLEMENTS.filter((k) => read.kinds.has(k));
  if (complements.length > 0 && !read.kinds.has('personne-activite')) {
    throw invalid(
      `${complements.join(', ')} files complete the professionals of a PS_LibreAcces extract: import them together with its Personne_activite file`,
    );
  }
  const counts = new Map<string, number>();
  for (const f of read.files) {
    counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1);
  }
  const twice = [...counts].filter(([, n]) => n > 1).map(([k]) => k);
  if (twice.length > 0) {
    throw invalid(`a release takes one file of each kind; given several: ${twice.join(', ')}`);
  }
}

function checkRejections(read: ReadRelease, threshold: number): void {
  if (read.read === 0 || read.rejected / read.read <= threshold) {
    return;
  }
  const first: Rejection | undefined = read.rejections[0];
  throw new AnnuaireError(
    422,
    'processing',
    `${read.rejected} of ${read.read} lines rejected (${((100 * read.rejected) / read.read).toFixed(2)}%), above the ${(threshold * 100).toFixed(2)}% threshold: nothing was imported` +
      (first ? `; first: ${first.file}:${first.line}: ${first.reason}` : ''),
    first ? `${first.file}:${first.line}` : undefined,
  );
}

async function writeEstablishments(
  read: ReadRelease,
  ctx: OrganizationContext,
  out: BatchWriter,
  written: Set<string>,
): Promise<void> {
  const project = wgs84Projector();
  const legalEntities = new Set<string>();
  for (const row of read.establishments.values()) {
    const geo = read.positions.get(row.nofinesset);
    let position;
    if (geo) {
      const epsg = projectionOf(geo.source);
      position = epsg ? project(geo.x, geo.y, epsg) : undefined;
      if (!position) {
        ctx.warn(`FINESS ${row.nofinesset}: position in "${geo.source}" cannot be converted, left out`);
      }
    }
    const org = establishmentOrganization(row, position, ctx);
    written.add(org.id);
    await out.add(org);
    if (row.nofinessej) {
      legalEntities.add(row.nofinessej);
    }
  }
  for (const ej of legalEntities) {
    const id = finessStructureId(ej);
    if (!written.has(id)) {
      written.add(id);
      await out.add(legalEntityOrganization(ej, ctx));
    }
  }
}

/** A person's staged lines, read back with the layout of the file each came from. */
function personLines(staged: StagedPerson, read: ReadRelease): PersonLines {
  const activites: PersonneActiviteRow[] = [];
  const diplomes: DiplAutExercRow[] = [];
  const savoirFaire: SavoirFaireRow[] = [];
  const mailboxes: MssanteRow[] = [];
  const cartes: CpsRow[] = [];
  for (const line of staged.lines) {
    const table = read.tables.get(line.src) as never;
    switch (read.kindOf.get(line.src)) {
      case 'personne-activite':
        push(activites, personneActiviteRow(table, line.text));
        break;
      case 'dipl-aut-exerc':
        push(diplomes, diplAutExercRow(table, line.text));
        break;
      case 'savoir-faire':
        push(savoirFaire, savoirFaireRow(table, line.text));
        break;
      case 'mssante':
        push(mailboxes, mssanteRow(table, line.text));
        break;
      case 'cps':
        push(cartes, cpsRow(table, line.text));
        break;
      default:
        break;
    }
  }
  return { idNatPs: staged.idNatPs, activites, diplomes, savoirFaire, mailboxes, cartes };
}

/** The activity lines of a person's staged lines. */
function activityRows(staged: StagedPerson, read: ReadRelease): PersonneActiviteRow[] {
  const rows: PersonneActiviteRow[] = [];
  for (const line of staged.lines) {
    if (read.kindOf.get(line.src) === 'personne-activite') {
      push(rows, personneActiviteRow(read.tables.get(line.src) as never, line.text));
    }
  }
  return rows;
}

/** Staged lines were checked when read: they parse again the same way. */
function push<T>(list: T[], row: T | string): void {
  if (typeof row !== 'string') {
    list.push(row);
  }
}

/**
 * Bump when the resources built from the same lines change (mapping, profiles): every professional is then
 * rebuilt at the next import instead of being kept by their unchanged lines.
 */
export const MAPPING_VERSION = '2';

/** A chunk of persons with what the store knows of their source units. */
interface LookedUp {
  readonly chunk: readonly StagedPerson[];
  readonly hashes: readonly string[];
  readonly units: ReadonlyMap<string, SourceUnit>;
  /** The source units of the sites of unchanged persons not written yet when looked up. */
  readonly sites: ReadonlyMap<string, SourceUnit>;
  /** `Type/id` of the units' resources that are current and active. */
  readonly active: ReadonlySet<string>;
}

/** Persons whose source units are looked up together. */
const PERSON_CHUNK = 500;
/** Chunks of persons looked up ahead of the one being written (see writePersons). */
const LOOK_AHEAD = 3;

/** What the meaning of a person's lines depends on besides the lines: the mapping, the NOS tables, layouts. */
function unitSeed(read: ReadRelease, nomenclatures: Nomenclatures): string {
  const hash = createHash('sha256').update(MAPPING_VERSION);
  for (const t of [...nomenclatures.tables()].map((t) => `${t.info.name}@${t.info.version}`).sort()) {
    hash.update(`\u0000${t}`);
  }
  for (const [kind, header] of [...read.headers].sort(([a], [b]) => (a < b ? -1 : 1))) {
    hash.update(`\u0000${kind}\u0000${header}`);
  }
  return hash.digest('hex');
}

const unitKey = (idNatPs: string): string => `ps:${idNatPs}`;
const siteKey = (structureId: string): string => `site:${structureId}`;

function kindsBySrc(read: ReadRelease): string[] {
  const kindOf: string[] = [];
  for (const [src, kind] of read.kindOf) {
    kindOf[src] = kind;
  }
  return kindOf;
}

async function writePersons(
  read: ReadRelease,
  seed: string,
  total: number,
  chunks: AsyncGenerator<StagedPerson[]>,
  ctx: OrganizationContext,
  out: BatchWriter,
  written: Set<string>,
  options: ImportOptions,
  hasFiness: boolean,
  writer: ReleaseWriter,
): Promise<number> {
  let kept = 0;
  let done = 0;
  let orphans = 0;
  /** Source units of the sites built, recorded with their chunk's. */
  const builtSites: SourceUnit[] = [];

  /**
   * What a practice site is built from: the first activity line that names it (the whole line: a site named
   * first by another person is rebuilt), the structure's mailboxes, and whether the FINESS file came too.
   */
  const sitePrefix = `${seed}\u0000site\u0000${hasFiness ? 'finess' : ''}\u0000`;
  // One-shot hashing of one string (the same digest as updating a Hash with its parts, at half the cost: this
  // runs for each of the million sites of a national re-import).
  const siteHash = (site: PersonneActiviteRow): string =>
    oneShotHash(
      'sha256',
      `${sitePrefix}${JSON.stringify(site)}\u0000${JSON.stringify(ctx.mailboxes.get(site.structureId) ?? [])}`,
      'base64url',
    ).slice(0, 22);

  const writeSites = async (sites: readonly PersonneActiviteRow[]): Promise<void> => {
    for (const site of sites) {
      const id = site.structureId;
      if (written.has(id)) {
        continue;
      }
      written.add(id);
      // A FINESS establishment is described by the FINESS file; without it in this release, the activity
      // file's description is used only for an establishment the store does not know yet.
      if (id.startsWith('F') && !hasFiness && (await options.store.read('Organization', id))) {
        continue;
      }
      await out.add(siteOrganization(site, ctx));
      if (!id.startsWith('F')) {
        // Kept at a re-import (keepSite below) when built from the same line.
        builtSites.push({
          key: siteKey(id),
          hash: siteHash(site),
          resources: [{ resourceType: 'Organization', id }],
        });
      }
      if (site.finessJuridique) {
        const ej = finessStructureId(site.finessJuridique);
        if (!written.has(ej) && (hasFiness || !(await options.store.read('Organization', ej)))) {
          written.add(ej);
          await out.add(legalEntityOrganization(site.finessJuridique, ctx));
        }
      }
    }
  };

  /**
   * Looks a chunk's source units up, and which of the resources they produced are still current and active,
   * ahead of writing it: the lookups overlap the writing of the previous chunk.
   */
  const lookAhead = (chunk: readonly StagedPerson[]): Promise<LookedUp> => {
    const hashes = chunk.map((p) => p.hash);
    const looked = writer.sourceUnits(chunk.map((p) => unitKey(p.idNatPs))).then(async (units) => {
      const candidates: ResourceKey[] = [];
      const siteKeys = new Set<string>();
      chunk.forEach((p, i) => {
        const unit = units.get(unitKey(p.idNatPs));
        if (unit && unit.hash === hashes[i]) {
          for (const r of unit.resources) {
            if (r.resourceType !== 'Organization') {
              candidates.push(r);
            } else if (!written.has(r.id) && !r.id.startsWith('F')) {
              siteKeys.add(siteKey(r.id));
            }
          }
        }
      });
      const sites =
        siteKeys.size > 0 ? await writer.sourceUnits([...siteKeys]) : new Map<string, SourceUnit>();
      for (const unit of sites.values()) {
        candidates.push(...unit.resources);
      }
      const active = candidates.length > 0 ? await writer.activeOf(candidates) : new Set<string>();
      return { chunk, hashes, units, sites, active };
    });
    looked.catch(() => undefined);
    return looked;
  };

  const writes: Promise<void>[] = [];
  const background = (p: Promise<void>): void => {
    p.catch(() => undefined);
    writes.push(p);
  };

  const writeChunk = async ({ chunk, hashes, units, sites, active }: LookedUp): Promise<void> => {
    const recorded: SourceUnit[] = [];
    const keep: ResourceKey[] = [];
    /**
     * Keeps a site as it is when it would be built from the same line as when it was last built. Not a FINESS
     * structure (`F…`): the FINESS file may have described it since, and its current version is then not the
     * one the site unit records.
     */
    const keepSite = (site: PersonneActiviteRow): boolean => {
      const id = site.structureId;
      const unit = sites.get(siteKey(id));
      if (
        unit === undefined ||
        id.startsWith('F') ||
        (site.finessJuridique !== '' && !written.has(finessStructureId(site.finessJuridique))) ||
        !unit.resources.every((r) => active.has(`${r.resourceType}/${r.id}`)) ||
        unit.hash !== siteHash(site)
      ) {
        return false;
      }
      written.add(id);
      keep.push(...unit.resources);
      return true;
    };
    for (const [i, staged] of chunk.entries()) {
      done += staged.lines.length;
      const unit = units.get(unitKey(staged.idNatPs));
      if (unit && unit.hash === hashes[i]) {
        // The same lines as at the last import: keep the practitioner and roles as they are, if they still are
        // current and active. Their sites not named yet in this release are kept too when built from the same
        // line as last time, otherwise rebuilt.
        const own = unit.resources.filter((r) => r.resourceType !== 'Organization');
        if (own.every((r) => active.has(`${r.resourceType}/${r.id}`))) {
          kept++;
          keep.push(...own);
          if (unit.resources.some((r) => r.resourceType === 'Organization' && !written.has(r.id))) {
            await writeSites(
              distinctSites(activityRows(staged, read)).filter(
                (s) => !written.has(s.structureId) && !keepSite(s),
              ),
            );
          }
          continue;
        }
      }
      const lines = personLines(staged, read);
      if (lines.activites.length === 0) {
        // In the MSSanté, CPS or diploma file but not in the activity file: not a professional of this extract.
        orphans++;
        continue;
      }
      const r = personResources(lines, ctx.coder);
      r.warnings.forEach(ctx.warn);
      await out.add(r.practitioner);
      for (const role of r.roles) {
        await out.add(role);
      }
      await writeSites(r.sites);
      recorded.push({
        key: unitKey(staged.idNatPs),
        hash: hashes[i]!,
        resources: [r.practitioner, ...r.roles]
          .map((x) => ({ resourceType: x.resourceType, id: x.id }))
          .concat(r.sites.map((s) => ({ resourceType: 'Organization', id: s.structureId }))),
      });
    }
    recorded.push(...builtSites.splice(0));
    if (keep.length > 0) {
      background(writer.keep(keep));
    }
    if (recorded.length > 0) {
      background(writer.recordSourceUnits(recorded));
    }
    options.progress?.writing?.(done, total);
  };

  try {
    const nextChunk = async (): Promise<StagedPerson[]> => {
      const r = await chunks.next();
      return r.done ? [] : r.value;
    };
    // Chunks are looked up LOOK_AHEAD ahead of the one written: the write thread answers the lookups of the
    // next ones while this thread builds and writes (a re-import is mostly lookups).
    const ahead: Promise<LookedUp>[] = [];
    let more = true;
    const fill = async (): Promise<void> => {
      while (more && ahead.length < LOOK_AHEAD) {
        const chunk = await nextChunk();
        if (chunk.length === 0) {
          more = false;
        } else {
          ahead.push(lookAhead(chunk));
        }
      }
    };
    await fill();
    while (ahead.length > 0) {
      const current = await ahead.shift()!;
      await fill();
      await writeChunk(current);
    }
  } finally {
    await chunks.return(undefined);
  }
  await Promise.all(writes);
  options.progress?.writing?.(total, total);
  if (orphans > 0) {
    ctx.warn(
      `${orphans} persons appear in the MSSanté, CPS or diploma files but not in the activity file: left out`,
    );
  }
  return kept;
}

/** One activity line per practice site a person's lines name. */
function distinctSites(activites: readonly PersonneActiviteRow[]): PersonneActiviteRow[] {
  const seen = new Map<string, PersonneActiviteRow>();
  for (const a of activites) {
    if (a.structureId !== '' && !seen.has(a.structureId)) {
      seen.set(a.structureId, a);
    }
  }
  return [...seen.values()];
}
