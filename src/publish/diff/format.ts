/**
 * The two output formats of `annuaire diff`:
 * - csv (RFC 4180, a header line): one line per change — `kind,key,change,field,old,new`; an added or removed
 *   entity is one line with empty field, old and new; a changed entity is one line per changed field;
 * - ndjson: one JSON object per added, removed or changed entity, `{kind, key, change, fields?}` where
 *   `fields` maps each changed column name to `{old, new}`.
 * https://www.rfc-editor.org/rfc/rfc4180 · https://github.com/ndjson/ndjson-spec
 */
import type { EntityChange } from './compare.js';

export type DiffFormat = 'csv' | 'ndjson';

export const DIFF_FORMATS: readonly DiffFormat[] = ['csv', 'ndjson'];

export const CSV_HEADER = 'kind,key,change,field,old,new\n';

const csvField = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

const csvLine = (fields: readonly string[]): string => fields.map(csvField).join(',') + '\n';

export function formatChange(change: EntityChange, format: DiffFormat): string {
  switch (format) {
    case 'csv':
      return change.fields.length === 0
        ? csvLine([change.kind, change.key, change.change, '', '', ''])
        : change.fields
            .map((f) => csvLine([change.kind, change.key, change.change, f.field, f.old, f.new]))
            .join('');
    case 'ndjson':
      return (
        JSON.stringify(
          change.fields.length === 0
            ? { kind: change.kind, key: change.key, change: change.change }
            : {
                kind: change.kind,
                key: change.key,
                change: change.change,
                fields: Object.fromEntries(change.fields.map((f) => [f.field, { old: f.old, new: f.new }])),
              },
        ) + '\n'
      );
  }
}
