/**
 * Names of the synthetic professionals. Surnames follow a Zipf-like law over a very large virtual vocabulary:
 * the first ranks are the common surnames of names-data.ts, the long tail is made of generated regional and
 * compound forms, so name searches are as selective as on the real directory (hundreds of thousands of
 * distinct surnames nationally).
 */
import {
  COMMON_SURNAMES,
  CODAS,
  FEMALE_FIRST_NAMES,
  MALE_FIRST_NAMES,
  MIDDLES,
  ONSETS,
  SUFFIXES,
  VOWELS,
} from './names-data.js';
import { hash4, Purpose, Rng, WeightedTable } from './prng.js';
import { stripAccents } from './text.js';

/** Size of the virtual surname vocabulary and the Zipf offset: rank r has weight ∝ 1 / (r + Q). */
const VOCABULARY = 3_000_000;
const Q = 20;
const LOG_SPAN = Math.log((VOCABULARY + Q) / Q);

/** A surname rank by inverse transform of the continuous Zipf (s = 1) law. */
export const surnameRank = (u: number): number =>
  Math.min(VOCABULARY - 1, Math.floor(Q * Math.exp(u * LOG_SPAN) - Q));

/** A pronounceable root: onset + vowel, optionally a medial consonant + vowel. */
function root(rng: Rng, withSuffix: boolean): string {
  let r = rng.pick(ONSETS) + rng.pick(VOWELS);
  if (rng.chance(0.75)) {
    r += rng.pick(MIDDLES) + rng.pick(VOWELS);
  }
  return withSuffix ? r : r + rng.pick(CODAS);
}

/** The surname at `rank`: a common one, a generated one, or (1 in 25) a double-barrelled pair. */
export function surnameAt(seed: number, rank: number): string {
  if (rank < COMMON_SURNAMES.length) {
    return COMMON_SURNAMES[rank]!;
  }
  const rng = new Rng(hash4(seed, Purpose.SURNAME_TAIL, rank));
  if (rng.chance(0.04)) {
    return `${rng.pick(COMMON_SURNAMES)}-${rng.pick(COMMON_SURNAMES)}`;
  }
  const [prefix, suffix] = rng.pick(SUFFIXES);
  let r = root(rng, suffix !== '');
  if (suffix && /[AEIOU]$/.test(r) && /^[AEIOUÉÈ]/.test(suffix)) {
    r = r.slice(0, -1);
  }
  return (prefix + r + suffix).replace(/(.)\1\1/g, '$1$1');
}

const female = new WeightedTable(FEMALE_FIRST_NAMES, ([, w]) => w);
const male = new WeightedTable(MALE_FIRST_NAMES, ([, w]) => w);

export const firstName = (rng: Rng, isFemale: boolean): string => (isFemale ? female : male).draw(rng)[0];

export const surname = (seed: number, rng: Rng): string => surnameAt(seed, surnameRank(rng.next()));

/**
 * How a registry writes a name: most records are upper case without accents, about one in four keeps them
 * (BÉNÉDICTE, LEFÈVRE), as the real extracts mix both.
 */
export const written = (name: string, keepAccents: boolean): string =>
  keepAccents ? name : stripAccents(name);
