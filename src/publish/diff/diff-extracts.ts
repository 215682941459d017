/**
 * `annuaire diff OLD NEW`: what changed between two extracts of the same kind (a PS_LibreAcces zip or one of its
 * `.txt` files, the MSSanté or the CPS/CPF extract; any layout the importer reads, 52 or 56 columns).
 *
 * Bounded memory, whatever the order of the lines: each file is read once (the importer's own readers: zip
 * entries, decoding, lines) and its lines are spilled to temporary files partitioned by a hash of their group
 * key (spill.ts); then the two files are compared one partition at a time, each partition's groups in key order.
 * A national Personne_activite file (2.2 M lines, about 1 GB) makes partitions of at most PARTITION_BYTES.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { invalid } from '../../error.js';
import { lineReader } from '../../sources/input/lines.js';
import { openInputs, type OpenedInputs } from '../../sources/input/open-inputs.js';
import type { SourceFile } from '../../sources/input/source-file.js';
import { recognise } from '../../sources/recognise.js';
import { compareGroup, type ChangeType, type EntityChange } from './compare.js';
import { DIFF_SPECS, resolveEntities, type DiffKind, type EntityKind } from './entities.js';
import { firstLine } from './first-line.js';
import { partitionOf, Spill } from './spill.js';

/** Bytes of a file per partition: what one comparison step holds in memory, for each side. */
const PARTITION_BYTES = 16 * 1024 * 1024;
const MAX_PARTITIONS = 512;

/** The order files are compared in, and the kinds diff knows. */
const KINDS: readonly DiffKind[] = ['personne-activite', 'dipl-aut-exerc', 'savoir-faire', 'mssante', 'cps'];

export interface DiffProgress {
  /** Bytes and lines of `file` read so far. */
  reading(file: SourceFile, bytes: number, lines: number): void;
  /** Partitions compared so far. */
  comparing(done: number, total: number): void;
}

export interface DiffOptions {
  readonly oldPath: string;
  readonly newPath: string;
  /** Receives each change, in order: file by file, then partition by partition, groups in key order. */
  readonly onChange: (change: EntityChange) => void;
  readonly progress?: DiffProgress;
  /** Where the partitions are spilled (default: the system's temporary folder). */
  readonly tmp?: string;
  /** Bytes of the larger file per partition (default PARTITION_BYTES); small in tests, to spread groups. */
  readonly partitionBytes?: number;
}

export interface ComparedFiles {
  readonly kind: DiffKind;
  readonly old: string;
  readonly new: string;
  readonly oldLines: number;
  readonly newLines: number;
  /** Columns only one of the two layouts has: not compared. */
  readonly notCompared: readonly string[];
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
    const files: ComparedFiles[] = [];
    for (const [kind, o, n] of pairs) {
      files.push(await compareFiles(kind, o, n, dir, withSecondary, counts, options));
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

interface SpilledFile {
  readonly header: readonly string[];
  readonly lines: number;
  readonly spill: Spill;
}

async function compareFiles(
  kind: DiffKind,
  oldFile: SourceFile,
  newFile: SourceFile,
  dir: string,
  withSecondary: boolean,
  counts: Map<EntityKind, ChangeCounts>,
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
  const spilled: SpilledFile[] = [];
  try {
    for (const [side, file] of [
      ['old', oldFile],
      ['new', newFile],
    ] as const) {
      spilled.push(
        await spillFile(file, spec.groupBy, new Spill(dir, `${kind}-${side}`, partitions), options),
      );
    }
    const [o, n] = spilled as [SpilledFile, SpilledFile];
    const { entities, notCompared } = resolveEntities(spec, o.header, n.header, withSecondary);
    const sameLayout = o.header.join('|') === n.header.join('|');
    const oldGroup = o.header.indexOf(spec.groupBy);
    const newGroup = n.header.indexOf(spec.groupBy);
    for (let p = 0; p < partitions; p++) {
      const before = groups(o.spill.read(p), oldGroup);
      const after = groups(n.spill.read(p), newGroup);
      const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
      for (const key of keys) {
        for (const change of compareGroup(
          before.get(key) ?? [],
          after.get(key) ?? [],
          entities,
          sameLayout,
        )) {
          count(counts, change);
          options.onChange(change);
        }
      }
      options.progress?.comparing(p + 1, partitions);
    }
    return {
      kind,
      old: oldFile.location,
      new: newFile.location,
      oldLines: o.lines,
      newLines: n.lines,
      notCompared,
    };
  } finally {
    spilled.forEach((s) => s.spill.remove());
  }
}

function count(counts: Map<EntityKind, ChangeCounts>, change: EntityChange): void {
  let c = counts.get(change.kind);
  if (!c) {
    c = { added: 0, removed: 0, changed: 0 };
    counts.set(change.kind, c);
  }
  c[change.change]++;
}

/** The lines of a partition by group key, in file order. */
function groups(lines: readonly string[], groupAt: number): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of lines) {
    const key = fieldAt(line, groupAt);
    const list = out.get(key);
    if (list) {
      list.push(line);
    } else {
      out.set(key, [line]);
    }
  }
  return out;
}

function fieldAt(text: string, index: number): string {
  let start = 0;
  for (let i = 0; i < index; i++) {
    start = text.indexOf('|', start) + 1;
  }
  const end = text.indexOf('|', start);
  return text.slice(start, end < 0 ? text.length : end).trim();
}

/** Reads a file once: its header, then every data line checked and spilled by its group key. */
async function spillFile(
  file: SourceFile,
  groupBy: string,
  spill: Spill,
  options: DiffOptions,
): Promise<SpilledFile> {
  let header: string[] = [];
  let groupAt = -1;
  let lines = 0;
  const reader = lineReader(file, () => {
    spill.reset();
    lines = 0;
  });
  try {
    await reader.read((batch, bytes) => {
      for (const line of batch) {
        if (line.number === 1) {
          header = headerNames(line.text);
          groupAt = header.indexOf(groupBy);
          if (groupAt < 0) {
            throw invalid(`the header lacks the column "${groupBy}"`, `${file.location}:1`);
          }
          continue;
        }
        if (line.text.trim() === '') {
          continue;
        }
        spill.add(
          partitionOf(groupKey(line.text, header.length, groupAt, file, line.number), spill.partitions),
          line.text,
        );
        lines++;
      }
      options.progress?.reading(file, bytes, lines);
    });
    spill.finish();
  } catch (e) {
    spill.remove();
    throw e;
  }
  return { header, lines, spill };
}

/** A header's column names (trailing `|` or not, BOM or not). */
function headerNames(line: string): string[] {
  const names = line
    .replace(/^\uFEFF/, '')
    .split('|')
    .map((n) => n.trim());
  if (names.length > 1 && names[names.length - 1] === '') {
    names.pop();
  }
  return names;
}

/**
 * The group column's value of a data line, checking its field count in the same scan (a line has `width`
 * fields, or `width + 1` when it ends with the trailing `|`).
 */
function groupKey(text: string, width: number, groupAt: number, file: SourceFile, n: number): string {
  let separators = 0;
  let start = groupAt === 0 ? 0 : -1;
  let end = -1;
  for (let pos = text.indexOf('|'); pos >= 0; pos = text.indexOf('|', pos + 1)) {
    separators++;
    if (separators === groupAt) {
      start = pos + 1;
    } else if (separators === groupAt + 1) {
      end = pos;
    }
  }
  const fields = separators + 1;
  if (fields !== width && !(fields === width + 1 && text.endsWith('|'))) {
    throw invalid(`expected ${width} fields, found ${fields}`, `${file.location}:${n}`);
  }
  return text.slice(start, end < 0 ? text.length : end).trim();
}
