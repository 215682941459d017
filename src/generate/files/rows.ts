/** Turns a partial record keyed like a columns.ts object into a line in the object's declared column order. */
export type RowOf<C extends Record<string, string>> = Partial<Record<keyof C, string>>;

export function rowWriter<C extends Record<string, string>>(
  columns: C,
  separator: string,
  trailing: boolean,
): (row: RowOf<C>) => string {
  const keys = Object.keys(columns) as (keyof C)[];
  const end = trailing ? separator + '\n' : '\n';
  return (row) => {
    let line = row[keys[0]!] ?? '';
    for (let i = 1; i < keys.length; i++) {
      line += separator + (row[keys[i]!] ?? '');
    }
    return line + end;
  };
}

/** The header line: the column names in their declared order. */
export const headerOf = (columns: Record<string, string>, separator: string, trailing: boolean): string =>
  Object.values(columns).join(separator) + (trailing ? separator : '') + '\n';
