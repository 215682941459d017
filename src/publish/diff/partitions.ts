/**
 * The partitioned comparison: both files spilled by a hash of their group key (spill.ts), then compared one
 * partition at a time, each partition's groups in key order. Memory: one partition of each file.
 */
import type { SourceFile } from '../../sources/input/source-file.js';
import { compareGroup, type EntityChange } from './compare.js';
import type { ResolvedEntity } from './entities.js';
import { fieldAt, readGroups } from './groups.js';
import type { Spill } from './spill.js';
import { partitionOf } from './spill.js';

export interface Layouts {
  readonly entities: readonly ResolvedEntity[];
  readonly sameLayout: boolean;
  readonly oldGroupAt: number;
  readonly newGroupAt: number;
}

/** Compares two spills partition by partition. */
export function comparePartitions(
  before: Spill,
  after: Spill,
  layouts: Layouts,
  emit: (change: EntityChange) => void,
  progress?: (done: number, total: number) => void,
): void {
  for (let p = 0; p < before.partitions; p++) {
    const o = groups(before.read(p), layouts.oldGroupAt);
    const n = groups(after.read(p), layouts.newGroupAt);
    const keys = [...new Set([...o.keys(), ...n.keys()])].sort();
    for (const key of keys) {
      for (const change of compareGroup(
        o.get(key) ?? [],
        n.get(key) ?? [],
        layouts.entities,
        layouts.sameLayout,
      )) {
        emit(change);
      }
    }
    progress?.(p + 1, before.partitions);
  }
}

/** Spills a whole file by its groups; returns its header and its number of data lines. */
export async function spillFile(
  file: SourceFile,
  groupBy: string,
  spill: Spill,
  onBatch?: (bytes: number, lines: number) => void,
): Promise<{ header: string[]; lines: number }> {
  let header: string[] = [];
  const lines = await readGroups(
    file,
    groupBy,
    {
      header: (names) => (header = names),
      group: (key, run) => {
        const p = partitionOf(key, spill.partitions);
        for (const line of run) {
          spill.add(p, line);
        }
      },
      ...(onBatch ? { batch: onBatch } : {}),
    },
    () => spill.reset(),
  );
  spill.finish();
  return { header, lines };
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
