/**
 * Helpers shared by the source readers: coded values from a code column and its label column, and dates in the
 * forms the national files use.
 */
import type { CodedValue } from '../domain/coded-value.js';

/** A coded value of `table`, or undefined when the code column is empty. The label is kept for unknown codes. */
export function coded(table: string, code: string, display: string): CodedValue | undefined {
  if (code === '') {
    return undefined;
  }
  return display === '' ? { table, code } : { table, code, sourceDisplay: display };
}

/**
 * An ISO date (YYYY-MM-DD) from `YYYY-MM-DD`, `DD/MM/YYYY` (older FINESS and CPS files) or `YYYYMMDD`; '' stays
 * ''. Undefined when the text is not a real calendar date (the caller rejects the line).
 */
export function isoDate(text: string): string | undefined {
  if (text === '') {
    return '';
  }
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  let y: string, mo: string, d: string;
  if (m) {
    [, y, mo, d] = m as unknown as [string, string, string, string];
  } else if ((m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text))) {
    [, d, mo, y] = m as unknown as [string, string, string, string];
  } else if ((m = /^(\d{4})(\d{2})(\d{2})$/.exec(text))) {
    [, y, mo, d] = m as unknown as [string, string, string, string];
  } else {
    return undefined;
  }
  const iso = `${y}-${mo}-${d}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(iso) ? iso : undefined;
}
