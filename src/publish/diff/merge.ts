/**
 * The streaming comparison: both files read at once, group by group. The national files list each person's
 * lines together, in an order that changes little from one day to the next, so most groups meet their
 * counterpart soon after: a group waits in memory only until the other file reaches it. Those that never do
 * were added or removed. Cost: one read of each file, no temporary copy.
 *
 * When the groups waiting exceed MERGE_BUDGET (files in different orders), the waiting groups and everything
 * read after them go to partitions (spill.ts) and the rest is compared partition by partition. When a key comes
 * back after its group was compared (a file not grouped by person) or a file has to be decoded again as
 * Windows-1252, the comparison gives up with `Fallback`, and the caller compares by partitions from the start;
 * the changes found so far must therefore be held back by the caller until this returns.
 */
import { AnnuaireError } from '../../error.js';
import type { SourceFile } from '../../sources/input/source-file.js';
import { compareGroup, sameLines, type EntityChange } from './compare.js';
import { checkFields, readGroups } from './groups.js';
import { KeySet } from './key-set.js';
import { comparePartitions, type Layouts } from './partitions.js';
import { partitionOf, type Spill } from './spill.js';

/** Characters of lines waiting for their counterpart before the rest is compared by partitions. */
const MERGE_BUDGET = 64 * 1024 * 1024;
/**
 * Characters of one file's lines waiting for the other file, past which its reading pauses until the other
 * reads on: the two reads keep pace, so lines die young (cheap garbage collection) instead of piling up.
 */
const LEAD = 2 * 1024 * 1024;

/** This pair of files cannot be compared by streaming: compare by partitions. */
export class Fallback extends Error {
  constructor(reason: string) {
    super(reason);
  }
}

export interface MergeOptions {
  readonly files: readonly [SourceFile, SourceFile];
  readonly groupBy: string;
  readonly layoutsOf: (oldHeader: readonly string[], newHeader: readonly string[]) => Layouts;
  readonly spills: () => [Spill, Spill];
  readonly emit: (change: EntityChange) => void;
  readonly reading?: (bytes: number, lines: number) => void;
  readonly comparing?: (done: number, total: number) => void;
  /** Characters of waiting lines before the rest goes to partitions (default MERGE_BUDGET). */
  readonly budget?: number;
}

export interface MergeResult {
  readonly headers: readonly [string[], string[]];
  readonly lines: readonly [number, number];
  /** Whether the groups that had not met went to partitions. */
  readonly partitioned: boolean;
}

/** Two 26-bit halves of FNV-style hashes: a 52-bit number, so keys already compared fit a Set compactly. */
function hash52(key: string): number {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 13;
  }
  return (a >>> 6) * 0x4000000 + ((b >>> 0) & 0x3ffffff);
}

/** The lines of a group waiting for their counterpart, with their line numbers (their fields are checked later). */
interface Run {
  readonly lines: string[];
  readonly numbers: number[];
  chars: number;
}

function charsOf(lines: readonly string[]): number {
  let n = 0;
  for (const l of lines) {
    n += l.length;
  }
  return n;
}

export async function mergeFiles(options: MergeOptions): Promise<MergeResult> {
  const pending = [new Map<string, Run>(), new Map<string, Run>()] as const;
  let waiting = 0;
  // Characters waiting per side, to keep the reads in step.
  const ahead = [0, 0];
  let paused: { side: 0 | 1; resume: () => void } | undefined;
  const finished = [false, false];
  const wake = (): void => {
    const p = paused;
    paused = undefined;
    p?.resume();
  };
  // Keys compared already: seeing one again means a file is not grouped by its key (or, once in 2^52, a
  // hash collision): either way the partitions will be right.
  const compared = new KeySet();
  const headers: [string[], string[]] = [[], []];
  // Lines are read with their fields counted only as far as the key (groups.ts): lines identical to their
  // counterpart cannot differ field by field, the others are checked here before they are compared or spilled.
  const check = (side: 0 | 1, lines: readonly string[], numbers: readonly number[]): void =>
    checkFields(lines, numbers, headers[side].length, options.files[side].location);
  let layouts: Layouts | undefined;
  const layout = (): Layouts => (layouts ??= options.layoutsOf(headers[0], headers[1]));
  let spills: [Spill, Spill] | undefined;
  let stop = false;
  const bytes = [0, 0];
  const lines = [0, 0];

  const toPartitions = (): [Spill, Spill] => {
    const s = options.spills();
    for (const side of [0, 1] as const) {
      for (const [key, run] of pending[side]) {
        check(side, run.lines, run.numbers);
        const p = partitionOf(key, s[side].partitions);
        run.lines.forEach((line) => s[side].add(p, line));
      }
      pending[side].clear();
    }
    waiting = 0;
    ahead.fill(0);
    return s;
  };

  const group = (side: 0 | 1, key: string, lines: string[], numbers: number[]): void => {
    const h = hash52(key);
    if (spills) {
      if (compared.has(h)) {
        throw new Fallback(`${key} comes back after it was compared`);
      }
      check(side, lines, numbers);
      const p = partitionOf(key, spills[side].partitions);
      lines.forEach((line) => spills![side].add(p, line));
      return;
    }
    const chars = charsOf(lines);
    const mine = pending[side].get(key);
    if (mine) {
      mine.lines.push(...lines);
      mine.numbers.push(...numbers);
      mine.chars += chars;
      waiting += chars;
      ahead[side]! += chars;
      return;
    }
    const other = (1 - side) as 0 | 1;
    const theirs = pending[other].get(key);
    if (theirs) {
      pending[other].delete(key);
      waiting -= theirs.chars;
      ahead[other]! -= theirs.chars;
      compared.add(h);
      const l = layout();
      const [o, n] = side === 0 ? [lines, theirs.lines] : [theirs.lines, lines];
      if (l.sameLayout && sameLines(o, n)) {
        return;
      }
      check(side, lines, numbers);
      check(other, theirs.lines, theirs.numbers);
      for (const change of compareGroup(o, n, l.entities, l.sameLayout)) {
        options.emit(change);
      }
      return;
    }
    if (compared.has(h)) {
      throw new Fallback(`${key} comes back after it was compared`);
    }
    pending[side].set(key, { lines, numbers, chars });
    waiting += chars;
    ahead[side]! += chars;
    if (waiting > (options.budget ?? MERGE_BUDGET)) {
      spills = toPartitions();
    }
  };

  const read = (side: 0 | 1): Promise<number> =>
    readGroups(
      options.files[side],
      options.groupBy,
      {
        header: (names) => (headers[side] = names),
        group: (key, lines, numbers) => group(side, key, lines, numbers),
        batch: async (b, l) => {
          if (stop) {
            throw new Fallback('stopped');
          }
          bytes[side] = b;
          lines[side] = l;
          options.reading?.(bytes[0]! + bytes[1]!, lines[0]! + lines[1]!);
          if (paused && paused.side !== side) {
            wake();
          }
          if (!spills && !paused && !finished[1 - side] && ahead[side]! > LEAD) {
            await new Promise<void>((resume) => (paused = { side, resume }));
          }
        },
      },
      () => {
        throw new Fallback('decoded again as Windows-1252');
      },
      true,
    );

  const results = await Promise.allSettled(
    ([0, 1] as const).map((side) =>
      read(side)
        .catch((e: unknown) => {
          stop = true;
          throw e;
        })
        .finally(() => {
          finished[side] = true;
          wake();
        }),
    ),
  );
  const failure =
    results.find((r) => r.status === 'rejected' && r.reason instanceof AnnuaireError) ??
    results.find((r) => r.status === 'rejected');
  if (failure?.status === 'rejected') {
    spills?.forEach((s) => s.remove());
    throw failure.reason;
  }
  const counts = results.map((r) => (r.status === 'fulfilled' ? r.value : 0));
  if (spills) {
    spills.forEach((s) => s.finish());
    comparePartitions(spills[0], spills[1], layout(), options.emit, options.comparing);
  } else {
    const l = layout();
    const keys = [...new Set([...pending[0].keys(), ...pending[1].keys()])].sort();
    for (const key of keys) {
      const o = pending[0].get(key);
      const n = pending[1].get(key);
      if (o) {
        check(0, o.lines, o.numbers);
      }
      if (n) {
        check(1, n.lines, n.numbers);
      }
      for (const change of compareGroup(o?.lines ?? [], n?.lines ?? [], l.entities, l.sameLayout)) {
        options.emit(change);
      }
    }
  }
  return { headers, lines: [counts[0]!, counts[1]!], partitioned: spills !== undefined };
}
