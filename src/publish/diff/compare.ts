/**
 * Compares the lines of one group (a person, a mailbox) in the old and the new file: the entities they
 * describe that were added, removed or changed, with each changed field by column name.
 */
import type { EntityKind, ResolvedEntity } from './entities.js';

export type ChangeType = 'added' | 'removed' | 'changed';

export interface FieldChange {
  /** The column's published name. */
  readonly field: string;
  readonly old: string;
  readonly new: string;
}

export interface EntityChange {
  readonly kind: EntityKind;
  /** The key columns' values joined by `/`. */
  readonly key: string;
  readonly change: ChangeType;
  /** The changed fields (for `changed` only). */
  readonly fields: readonly FieldChange[];
}

/** Several values of a field over an entity's lines (its savoir-faire): sorted, distinct, joined so. */
export const VALUE_SEPARATOR = ' ; ';

type Values = Map<string, Set<string>[]>;

function entityValues(
  rows: readonly string[][],
  keyAt: readonly number[],
  fieldsAt: readonly number[],
): Values {
  const out: Values = new Map();
  for (const row of rows) {
    const key = keyAt.map((i) => row[i]!.trim()).join('/');
    let sets = out.get(key);
    if (!sets) {
      sets = fieldsAt.map(() => new Set<string>());
      out.set(key, sets);
    }
    for (let f = 0; f < fieldsAt.length; f++) {
      sets[f]!.add(row[fieldsAt[f]!]!.trim());
    }
  }
  return out;
}

function joined(values: Set<string>): string {
  if (values.size === 1) {
    return values.values().next().value!;
  }
  return [...values]
    .filter((v) => v !== '')
    .sort()
    .join(VALUE_SEPARATOR);
}

const splitRows = (lines: readonly string[]): string[][] => lines.map((l) => l.split('|'));

/**
 * The changes between the old and new lines of a group, entity kind by kind, keys in order. `sameLayout`: the
 * two files have the same header, so identical lines (the usual case) are skipped without being split.
 */
export function compareGroup(
  oldLines: readonly string[],
  newLines: readonly string[],
  entities: readonly ResolvedEntity[],
  sameLayout: boolean,
): EntityChange[] {
  if (sameLayout && sameLines(oldLines, newLines)) {
    return [];
  }
  const oldRows = splitRows(oldLines);
  const newRows = splitRows(newLines);
  const changes: EntityChange[] = [];
  for (const e of entities) {
    const before = entityValues(oldRows, e.oldKey, e.oldFields);
    const after = entityValues(newRows, e.newKey, e.newFields);
    const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
    for (const key of keys) {
      const o = before.get(key);
      const n = after.get(key);
      if (!o) {
        changes.push({ kind: e.kind, key, change: 'added', fields: [] });
      } else if (!n) {
        changes.push({ kind: e.kind, key, change: 'removed', fields: [] });
      } else {
        const fields: FieldChange[] = [];
        for (let f = 0; f < e.fields.length; f++) {
          const ov = joined(o[f]!);
          const nv = joined(n[f]!);
          if (ov !== nv) {
            fields.push({ field: e.fields[f]!, old: ov, new: nv });
          }
        }
        if (fields.length > 0) {
          changes.push({ kind: e.kind, key, change: 'changed', fields });
        }
      }
    }
  }
  return changes;
}

/** The same lines, in any order. */
export function sameLines(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) {
    return false;
  }
  if (a.every((line, i) => line === b[i])) {
    return true;
  }
  const sa = [...a].sort();
  const sb = [...b].sort();
  return sa.every((line, i) => line === sb[i]);
}
