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
 * ''. Undefined when the text is not a real calendar date (the caller rejects the line). A hand parser: this
 * runs for four dates of every CPS line (a regular expression and a Date each cost 40% of reading that file).
 */
export function isoDate(text: string): string | undefined {
  if (text === '') {
    return '';
  }
  let iso: string;
  if (text.length === 10 && text[4] === '-' && text[7] === '-' && digits(text, 0, 4) && digits(text, 5, 7)) {
    iso = text;
    if (!digits(text, 8, 10)) {
      return undefined;
    }
  } else if (text.length === 10 && text[2] === '/' && text[5] === '/' && digits(text, 0, 2)) {
    if (!digits(text, 3, 5) || !digits(text, 6, 10)) {
      return undefined;
    }
    iso = `${text.slice(6, 10)}-${text.slice(3, 5)}-${text.slice(0, 2)}`;
  } else if (text.length === 8 && digits(text, 0, 8)) {
    iso = `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
  } else {
    return undefined;
  }
  const year = Number(iso.slice(0, 4));
  const month = Number(iso.slice(5, 7));
  const day = Number(iso.slice(8, 10));
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) ? iso : undefined;
}

/** Whether text[from, to) is ASCII digits (what `\d` matches). */
function digits(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) {
      return false;
    }
  }
  return true;
}

/** Days in a month of the proleptic Gregorian calendar (what Date follows). */
function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  }
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
