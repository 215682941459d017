/**
 * Deterministic pseudo-randomness. Every draw of the generator comes from a hash of (seed, purpose, entity,
 * index…), never from Math.random or the clock, so the same (scale, seed, day) writes the same bytes and any
 * entity's state can be recomputed alone, without holding the population in memory.
 */

/** Murmur3's 32-bit finaliser: a cheap, well-mixed permutation of 32-bit words. */
export function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash of up to four non-negative integers (entity indexes stay below 2^32). */
export function hash4(seed: number, a: number, b = 0, c = 0): number {
  let h = mix32(seed ^ 0x9e3779b9);
  h = mix32(h ^ Math.imul(a >>> 0, 0x85ebca77));
  h = mix32(h ^ Math.imul((b >>> 0) + 0x27d4eb2f, 0xc2b2ae3d));
  return mix32(h ^ Math.imul((c >>> 0) + 0x165667b1, 0x27d4eb2f));
}

/** A uniform number in [0, 1) from a hash. */
export const unit = (h: number): number => h / 4294967296;

/**
 * mulberry32: a small, fast generator for the sequence of draws describing one entity. Each purpose of an
 * entity gets its own generator, so adding a draw to one file's columns does not shift another's.
 */
export class Rng {
  #s: number;

  constructor(seed: number) {
    this.#s = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.#s = (this.#s + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** Uniform integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }
}

/** A generator for (seed, purpose, entity, index). */
export const rngFor = (seed: number, purpose: number, entity: number, index = 0): Rng =>
  new Rng(hash4(seed, purpose, entity, index));

/** Purposes: one independent stream per aspect of an entity. */
export const Purpose = {
  IDENTITY: 1,
  SITUATION: 2,
  EVENT: 3,
  EVENT_KIND: 4,
  MAILBOX: 5,
  CARD: 6,
  DIPLOMA: 7,
  SAVOIR_FAIRE: 8,
  REGISTRATION: 9,
  ESTABLISHMENT: 10,
  LEGAL_ENTITY: 11,
  PRACTICE: 12,
  SURNAME_TAIL: 13,
  ESTABLISHMENT_EVENT: 14,
  ORG_MAILBOX: 15,
} as const;

/**
 * A table of weights, drawn from by binary search on the cumulative sums: O(log n) per draw, built once.
 */
export class WeightedTable<T> {
  readonly #cumulative: Float64Array;
  readonly #total: number;

  constructor(
    readonly items: readonly T[],
    weight: (item: T, index: number) => number,
  ) {
    this.#cumulative = new Float64Array(items.length);
    let sum = 0;
    items.forEach((item, i) => {
      sum += Math.max(0, weight(item, i));
      this.#cumulative[i] = sum;
    });
    this.#total = sum;
  }

  get total(): number {
    return this.#total;
  }

  /** The item at uniform position `u` in [0, 1). */
  at(u: number): T {
    const target = u * this.#total;
    let lo = 0;
    let hi = this.#cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#cumulative[mid]! > target) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return this.items[lo]!;
  }

  draw(rng: Rng): T {
    return this.at(rng.next());
  }
}
