/**
 * The generator's calendar: a fixed base instant plus `--day` days. Never the clock, so runs are repeatable.
 * Day numbers are whole days since the base date (negative for the past).
 */
import { pad } from './text.js';

/** Day 0 of every generated directory: 2026-11-01 06:00 UTC, the time the extracts are "published". */
export const BASE_DATE_MS = Date.UTC(2026, 10, 1, 6, 0);
const DAY_MS = 86_400_000;

export const instantOfDay = (day: number): Date => new Date(BASE_DATE_MS + day * DAY_MS);

/** `YYYYMMDDhhmm`, the RPPS / MSSanté / CPS file-name stamp. */
export function stamp12(day: number): string {
  const d = instantOfDay(day);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}${pad(d.getUTCHours(), 2)}${pad(d.getUTCMinutes(), 2)}`;
}

/** `YYYY-MM-DD`. */
export function isoDate(day: number): string {
  const d = instantOfDay(day);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

/** `DD/MM/YYYY`. */
export function frenchDate(day: number): string {
  const d = instantOfDay(day);
  return `${pad(d.getUTCDate(), 2)}/${pad(d.getUTCMonth() + 1, 2)}/${d.getUTCFullYear()}`;
}
