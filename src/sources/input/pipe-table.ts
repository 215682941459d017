/**
 * `|`-separated tables with a header line, as the RPPS, MSSanté and CPS extracts are: no quoting, a trailing `|`
 * on every line (or none, for MSSanté: both are read). Columns are found by header name, so a layout with
 * columns added or moved reads the same; a column the reader needs and the header lacks is an error.
 */
import { invalid } from '../../error.js';

export type ColumnIndex<K extends string> = Readonly<Record<K, number>>;

export interface PipeTable<K extends string> {
  /** Field position of each known column; -1 when the header does not have it. */
  readonly column: ColumnIndex<K>;
  /** Number of named columns. */
  readonly width: number;
}

function headerNames(line: string): string[] {
  const names = line.split('|').map((n) => n.trim());
  if (names[names.length - 1] === '') {
    names.pop();
  }
  return names;
}

/**
 * Maps a header line onto the reader's columns (`columns`: key → published name). `required` columns must be
 * there; the others may be absent (older layouts).
 */
export function readHeader<K extends string>(
  line: string,
  columns: Readonly<Record<K, string>>,
  required: readonly K[],
  location: string,
): PipeTable<K> {
  const names = headerNames(line);
  const position = new Map(names.map((n, i) => [n, i]));
  const column = {} as Record<K, number>;
  for (const key of Object.keys(columns) as K[]) {
    column[key] = position.get(columns[key]) ?? -1;
  }
  const missing = required.filter((k) => column[k] < 0).map((k) => `"${columns[k]}"`);
  if (missing.length > 0) {
    throw invalid(
      `the header lacks the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
      `${location}:1`,
    );
  }
  return { column, width: names.length };
}

/** How many of `names` a header line has: to recognise a file by its header. */
export function headerMatches(line: string, names: readonly string[]): number {
  const have = new Set(headerNames(line));
  return names.filter((n) => have.has(n)).length;
}

/** The fields of a data line, or why it cannot be read. */
export function splitFields(table: PipeTable<string>, text: string): string[] | string {
  const fields = text.split('|');
  if (fields.length === table.width + 1 && fields[table.width] === '') {
    fields.pop();
  }
  if (fields.length !== table.width) {
    return `expected ${table.width} fields, found ${fields.length}`;
  }
  return fields;
}

/** A field by column key: '' when the layout has no such column. */
export const field = <K extends string>(table: PipeTable<K>, fields: readonly string[], key: K): string => {
  const i = table.column[key];
  return i < 0 ? '' : fields[i]!.trim();
};
