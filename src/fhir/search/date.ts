/**
 * Date search values: a prefix and a value whose precision sets the range it stands for (`2026` is the whole
 * year). Ranges are [low, high) as ISO 8601 UTC instants with milliseconds, the form meta.lastUpdated is
 * stored in, so they compare as text. https://hl7.org/fhir/R4/search.html#date
 */
import { invalid } from '../../error.js';
import type { InstantRange } from '../../store/store.js';

const PREFIXES = ['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap'] as const;
export type DatePrefix = (typeof PREFIXES)[number];

const DATE =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/** The instants [low, high) a date value covers, or throws 400 naming the parameter. */
export function dateRange(text: string, param: string): { low: Date; high: Date } {
  const m = DATE.exec(text);
  if (!m) {
    throw invalid(`${param}: "${text}" is not a date (yyyy, yyyy-mm, yyyy-mm-dd or a date and time)`, param);
  }
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y);
  const month = mo === undefined ? 0 : Number(mo) - 1;
  const day = d === undefined ? 1 : Number(d);
  const offsetMs =
    zone && zone !== 'Z'
      ? (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4))) * 60_000
      : 0;
  const at = (yy: number, mm: number, dd: number, hh = 0, mn = 0, ss = 0, ms = 0): Date =>
    new Date(Date.UTC(yy, mm, dd, hh, mn, ss, ms) - offsetMs);
  const low = at(
    year,
    month,
    day,
    Number(h ?? 0),
    Number(mi ?? 0),
    Number(s ?? 0),
    frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0,
  );
  const calendar = new Date(Date.UTC(year, month, day));
  const valid =
    calendar.getUTCMonth() === month &&
    calendar.getUTCDate() === day &&
    Number(h ?? 0) < 24 &&
    Number(mi ?? 0) < 60 &&
    Number(s ?? 0) < 60;
  if (!valid) {
    throw invalid(`${param}: "${text}" is not a valid date`, param);
  }
  let high: Date;
  if (mo === undefined) {
    high = at(year + 1, 0, 1);
  } else if (d === undefined) {
    high = at(year, month + 1, 1);
  } else if (h === undefined) {
    high = at(year, month, day + 1);
  } else if (s === undefined) {
    high = new Date(low.getTime() + 60_000);
  } else if (frac === undefined) {
    high = new Date(low.getTime() + 1000);
  } else {
    high = new Date(low.getTime() + 1);
  }
  return { low, high };
}

/** The ranges of instants a prefixed value selects (OR), and whether they are excluded (`ne`). */
export function prefixedRanges(value: string, param: string): { ranges: InstantRange[]; not: boolean } {
  const prefix = PREFIXES.find((p) => value.startsWith(p) && /^\d/.test(value.slice(2))) ?? 'eq';
  const text = value.startsWith(prefix) && prefix !== 'eq' ? value.slice(2) : value.replace(/^eq/, '');
  const { low, high } = dateRange(text, param);
  const iso = (d: Date): string => d.toISOString();
  switch (prefix) {
    case 'eq':
      return { ranges: [{ low: iso(low), high: iso(high) }], not: false };
    case 'ne':
      return { ranges: [{ low: iso(low), high: iso(high) }], not: true };
    case 'gt':
    case 'sa':
      return { ranges: [{ low: iso(high) }], not: false };
    case 'ge':
      return { ranges: [{ low: iso(low) }], not: false };
    case 'lt':
    case 'eb':
      return { ranges: [{ high: iso(low) }], not: false };
    case 'le':
      return { ranges: [{ high: iso(high) }], not: false };
    case 'ap': {
      // "Approximately": the value's range widened by a tenth of its distance from now, at least a day.
      const gap = Math.max(86_400_000, Math.abs(Date.now() - low.getTime()) / 10);
      return {
        ranges: [{ low: iso(new Date(low.getTime() - gap)), high: iso(new Date(high.getTime() + gap)) }],
        not: false,
      };
    }
  }
}
