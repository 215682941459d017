/**
 * `annuaire diff OLD NEW`: what changed between two extracts of the same kind (a PS_LibreAcces zip or one of its
 * `.txt` files, the MSSanté or the CPS/CPF extract; any layout the importer reads, 52 or 56 columns).
 *
 * Bounded memory, whatever the order of the lines. Each pair of files is first compared by streaming both at
 * once (merge.ts: one read of each, groups held only until they meet their counterpart); when the files are not
 * in a close enough order, the rest goes to temporary partitions by a hash of the group key, compared one at a
 * time (partitions.ts); when a file is not grouped by person, or is not UTF-8, the pair is compared by
 * partitions from the start. A partition holds at most PARTITION_BYTES of a file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { invalid } from '../../error.js';
import { openInputs, type OpenedInputs } from '../../sources/input/open-inputs.js';
import type { SourceFile } from '../../sources/input/source-file.js';
import { recognise } from '../../sources/recognise.js';
import { ChangeLog } from './change-log.js';
import type { ChangeType, EntityChange } from './compare.js';
import { DIFF_SPECS, resolveEntities, type DiffKind, type EntityKind } from './entities.js';
import { firstLine } from './first-line.js';
import { Fallback, mergeFiles } from './merge.js';
import { comparePartitions, spillFile, type Layouts } from './partitions.js';
import { Spill } from './spill.js';

/** Bytes of a file per partition: what one comparison step holds in memory, for each side. */
const PARTITION_BYTES = 16 * 1024 * 1024;
const MAX_PARTITIONS = 512;

/** The order files are compared in, and the kinds diff knows. */
const KINDS: readonly DiffKind[] = ['personne-activite', 'dipl-aut-exerc', 'savoir-faire', 'mssante', 'cps'];

export interface DiffProgress {
  /** Bytes (of `total`) and lines read so far by the step `label`. */
  reading(label: string, total: number, bytes: number, lines: number): void;
  /** Partitions compared so far. */
  comparing(done: number, total: number): void;
}

export interface DiffOptions {
  readonly oldPath: string;
  readonly newPath: string;
  /** Receives each change: file by file; within a file, in the order found (not sorted). */
  readonly onChange: (change: EntityChange) => void;
  readonly progress?: DiffProgress;
  /** Where the partitions are spilled (default: the system's temporary folder). */
  readonly tmp?: string;
  /** Bytes of the larger file per partition (default PARTITION_BYTES); small in tests, to spread groups. */
  readonly partitionBytes?: number;
  /** Characters of lines waiting for their counterpart before the rest is partitioned (merge.ts). */
  readonly mergeBudget?: number;
}

/** How a pair was compared: streamed; streamed then the rest by partitions; by partitions only. */
export type Strategy = 'streamed' | 'streamed+partitions' | 'partitions';

export interface ComparedFiles {
  readonly kind: DiffKind;
  readonly old: string;
  readonly new: string;
  readonly oldLines: number;
  readonly newLines: number;
  /** Columns only one of the two layouts has: not compared. */
  readonly notCompared: readonly string[];
  readonly strategy: Strategy;
  /** Why streaming gave up, when it did. */
  readonly fallback?: string;
}

export type ChangeCounts = Record<ChangeType, number>;

export interface DiffSummary {
  readonly files: readonly ComparedFiles[];
  /** Entries of one side with no counterpart of their kind on the other (a zip against one of its files). */
  readonly skipped: readonly string[];
  readonly counts: ReadonlyMap<EntityKind, ChangeCounts>;
}

export async function diffExtracts(options: DiffOptions): Promise<DiffSummary> {
  const oldInputs = await openInputs([options.oldPath]);
  let newInputs: OpenedInputs | undefined;
  const dir = mkdtempSync(join(options.tmp ?? tmpdir(), `annuaire-diff-${process.pid}-`));
  try {
    newInputs = await openInputs([options.newPath]);
    const before = await kindsOf(oldInputs.files);
    const after = await kindsOf(newInputs.files);
    const { pairs, skipped } = pair(before, after, options);
    const withSecondary = !pairs.some(([kind]) => kind === 'personne-activite');
    const counts = new Map<EntityKind, ChangeCounts>();
    const emit = (change: EntityChange): void => {
      let c = counts.get(change.kind);
      if (!c) {
        c = { added: 0, removed: 0, changed: 0 };
        counts.set(change.kind, c);
      }
      c[change.change]++;
      options.onChange(change);
    };
    const files: ComparedFiles[] = [];
    for (const [kind, o, n] of pairs) {
      files.push(await compareFiles(kind, o, n, dir, withSecondary, emit, options));
    }
    return { files, skipped, counts };
  } finally {
    oldInputs.close();
    newInputs?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function kindsOf(files: readonly SourceFile[]): Promise<Map<DiffKind, SourceFile>> {
  const out = new Map<DiffKind, SourceFile>();
  for (const file of files) {
    const kind = recognise(file.name, await firstLine(file), file.location);
    if (kind === 'finess') {
      throw invalid(`${file.name}: FINESS files are not compared by diff`, `${file.location}:1`);
    }
    if (out.has(kind)) {
      throw invalid(
        `${file.location} and ${out.get(kind)!.location} are both ${kind} files: one of each kind per extract`,
        file.location,
      );
    }
    out.set(kind, file);
  }
  return out;
}

/**
 * The files to compare: every kind when both sides have the same kinds; when one side has some of the other's
 * (one `.txt` against its zip), those. Anything else is two different extracts.
 */
function pair(
  before: Map<DiffKind, SourceFile>,
  after: Map<DiffKind, SourceFile>,
  options: DiffOptions,
): { pairs: [DiffKind, SourceFile, SourceFile][]; skipped: string[] } {
  const inBoth = KINDS.filter((k) => before.has(k) && after.has(k));
  const subset = (a: Map<DiffKind, SourceFile>, b: Map<DiffKind, SourceFile>): boolean =>
    [...a.keys()].every((k) => b.has(k));
  if (inBoth.length === 0 || !(subset(before, after) || subset(after, before))) {
    const list = (m: Map<DiffKind, SourceFile>): string => [...m.keys()].join(', ') || 'nothing';
    throw invalid(
      `${options.oldPath} (${list(before)}) and ${options.newPath} (${list(after)}) are not extracts of the same kind`,
      `${options.newPath}:1`,
    );
  }
  const skipped = [...before.values(), ...after.values()]
    .filter((f) => !inBoth.some((k) => before.get(k) === f || after.get(k) === f))
    .map((f) => f.location);
  return { pairs: inBoth.map((k) => [k, before.get(k)!, after.get(k)!]), skipped };
}

async function compareFiles(
  kind: DiffKind,
  oldFile: SourceFile,
  newFile: SourceFile,
  dir: string,
  withSecondary: boolean,
  emit: (change: EntityChange) => void,
  options: DiffOptions,
): Promise<ComparedFiles> {
  const spec = DIFF_SPECS[kind];
  const partitions = Math.min(
    MAX_PARTITIONS,
    Math.max(
      1,
      Math.ceil(Math.max(oldFile.size, newFile.size) / (options.partitionBytes ?? PARTITION_BYTES)),
    ),
  );
  let notCompared: string[] = [];
  const layoutsOf = (oldHeader: readonly string[], newHeader: readonly string[]): Layouts => {
    const resolved = resolveEntities(spec, oldHeader, newHeader, withSecondary);
    notCompared = resolved.notCompared;
    return {
      entities: resolved.entities,
      sameLayout: oldHeader.join('|') === newHeader.join('|'),
      oldGroupAt: oldHeader.indexOf(spec.groupBy),
      newGroupAt: newHeader.indexOf(spec.groupBy),
    };
  };
  const made: Spill[] = [];
  const spills = (): [Spill, Spill] => {
    const pair: [Spill, Spill] = [
      new Spill(dir, `${kind}-old`, partitions),
      new Spill(dir, `${kind}-new`, partitions),
    ];
    made.push(...pair);
    return pair;
  };
  const total = oldFile.size + newFile.size;
  const log = new ChangeLog(join(dir, `${kind}-changes.ndjson`));
  const result = { kind, old: oldFile.location, new: newFile.location };
  try {
    const merged = await mergeFiles({
      files: [oldFile, newFile],
      groupBy: spec.groupBy,
      layoutsOf,
      spills,
      emit: (change) => log.add(change),
      reading: (bytes, lines) => options.progress?.reading(`read ${kind} (both)`, total, bytes, lines),
      comparing: (done, of) => options.progress?.comparing(done, of),
      ...(options.mergeBudget === undefined ? {} : { budget: options.mergeBudget }),
    });
    await log.replay(emit);
    return {
      ...result,
      oldLines: merged.lines[0],
      newLines: merged.lines[1],
      notCompared,
      strategy: merged.partitioned ? 'streamed+partitions' : 'streamed',
    };
  } catch (e) {
    if (!(e instanceof Fallback)) {
      throw e;
    }
    log.remove();
    made.splice(0).forEach((s) => s.remove());
    const [o, n] = spills();
    const a = await spillFile(oldFile, spec.groupBy, o, (bytes, lines) =>
      options.progress?.reading(`read ${oldFile.name}`, oldFile.size, bytes, lines),
    );
    const b = await spillFile(newFile, spec.groupBy, n, (bytes, lines) =>
      options.progress?.reading(`read ${newFile.name}`, newFile.size, bytes, lines),
    );
    comparePartitions(o, n, layoutsOf(a.header, b.header), emit, (done, of) =>
      options.progress?.comparing(done, of),
    );
    return {
      ...result,
      oldLines: a.lines,
      newLines: b.lines,
      notCompared,
      strategy: 'partitions',
      fallback: e.message,
    };
  } finally {
    log.remove();
    made.forEach((s) => s.remove());
  }
}
