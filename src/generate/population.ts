/**
 * Who is in the population on a given day, by slot. Slots [0, base) are the professionals of day 0; each later
 * day appends a fixed number of new registrations. A base slot's profession comes from an affine permutation
 * of the slot, so professions are interleaved in the file yet their counts are exact at every scale.
 */
import { ADELI_CAPACITY, RPPS_CAPACITY } from './identifiers.js';
import { hash4, Purpose, unit, WeightedTable } from './prng.js';
import { PROFESSIONS, type ProfessionSpec } from './professions.js';

/** New registrations per day, as a share of the base population (at least one a day). */
const REGISTRATIONS_PER_DAY = 0.0005;

export interface ProfessionCount {
  readonly spec: ProfessionSpec;
  readonly index: number;
  readonly count: number;
  /** First permuted position of the profession. */
  readonly start: number;
  /** How many of its base members still carry an ADELI number, and where their ADELI ordinals start. */
  readonly adeliCount: number;
  readonly adeliStart: number;
}

export interface Population {
  readonly professions: readonly ProfessionCount[];
  readonly base: number;
  readonly perDay: number;
  /** Multiplier and offset of the slot permutation (multiplier prime to base). */
  readonly a: number;
  readonly b: number;
  readonly newcomers: WeightedTable<ProfessionCount>;
}

const gcd = (x: number, y: number): number => (y === 0 ? x : gcd(y, x % y));

export function populationAt(scale: number, seed: number): Population {
  let start = 0;
  let adeliStart = 0;
  const professions = PROFESSIONS.map((spec, index) => {
    const count = Math.max(1, Math.round(spec.count * scale));
    const adeliCount = Math.round(count * spec.adeliShare);
    const p: ProfessionCount = { spec, index, count, start, adeliCount, adeliStart };
    start += count;
    adeliStart += adeliCount;
    return p;
  });
  if (adeliStart > ADELI_CAPACITY || start * 2 > RPPS_CAPACITY) {
    throw new RangeError('scale too large for the identifier spaces');
  }
  const base = start;
  let a = 1_000_003 + (seed % 1000) * 2;
  while (gcd(a, base) !== 1) {
    a += 2;
  }
  return {
    professions,
    base,
    perDay: Math.max(1, Math.round(base * REGISTRATIONS_PER_DAY)),
    a: a % base || 1,
    b: (seed * 7919) % base,
    newcomers: new WeightedTable(professions, (p) => p.count),
  };
}

/** Slots in use on `day` (removed professionals keep their slot). */
export const slotsAt = (pop: Population, day: number): number => pop.base + pop.perDay * Math.max(0, day);

export interface SlotInfo {
  readonly profession: ProfessionCount;
  readonly createdDay: number;
  /** The ADELI ordinal of base members of ex-ADELI professions, or -1. */
  readonly adeliOrdinal: number;
}

export function slotInfo(pop: Population, seed: number, slot: number): SlotInfo {
  if (slot >= pop.base) {
    const createdDay = 1 + Math.floor((slot - pop.base) / pop.perDay);
    return {
      profession: pop.newcomers.at(unit(hash4(seed, Purpose.REGISTRATION, slot))),
      createdDay,
      adeliOrdinal: -1,
    };
  }
  const j = (pop.a * slot + pop.b) % pop.base;
  let lo = 0;
  let hi = pop.professions.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (pop.professions[mid]!.start <= j) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  const profession = pop.professions[lo]!;
  const rank = j - profession.start;
  return {
    profession,
    createdDay: 0,
    adeliOrdinal: rank < profession.adeliCount ? profession.adeliStart + rank : -1,
  };
}
