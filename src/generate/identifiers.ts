/**
 * Business identifiers with valid keys, unique by construction: each is an affine bijection of an entity's
 * ordinal (a·i + b mod 10^k with a prime to 10), so two entities never share one and nothing has to remember
 * which numbers were handed out.
 */
import { luhnKey } from '../domain/luhn.js';
import { finessDigits } from '../domain/identifiers.js';
import { pad } from './text.js';

/** i ↦ (a·i + b) mod 10^digits, a bijection on [0, 10^digits) since a is prime to 10. */
function scatter(i: number, a: number, b: number, digits: number): string {
  const m = 10 ** digits;
  if (i >= m) {
    throw new RangeError(`identifier space exhausted: ordinal ${i} ≥ ${m}`);
  }
  return pad((a * i + b) % m, digits);
}

/** RPPS: `10` + 8 digits + Luhn key (11 digits, like the numbers the RPPS has handed out since 2009). */
export const rppsOf = (ordinal: number): string => {
  const body = '10' + scatter(ordinal, 7_654_321, 31_415_926, 8);
  return body + luhnKey(body);
};

export const RPPS_CAPACITY = 100_000_000;
export const ADELI_CAPACITY = 1_000_000;

/**
 * ADELI: the département (2 characters; Corsica's as `20`, overseas as `97` so the key stays computable),
 * 6 digits, a Luhn key. Leading zeros matter (`012600631`).
 */
export const adeliOf = (departement: string, ordinal: number): string => {
  const dep = departement.startsWith('2A') || departement.startsWith('2B') ? '20' : departement.slice(0, 2);
  const body = dep + scatter(ordinal, 382_117, 271_828, 6);
  return body + luhnKey(body);
};

/** RPPS rang (individual practice without SIRET): RPPS + 2-digit rank + Luhn key, 14 digits. */
export const rppsRang = (rpps: string, rank: number): string => {
  const body = rpps + pad(rank % 100, 2);
  return body + luhnKey(body);
};

/** ADELI rang: ADELI + 2-digit rank (`75912415900`). */
export const adeliRang = (adeli: string, rank: number): string => adeli + pad(rank % 100, 2);

/** SIREN: a leading digit (the kind of entity) + 7 scattered digits + Luhn key. */
export const sirenOf = (leading: number, ordinal: number): string => {
  const body = String(leading) + scatter(ordinal, 1_234_567, 7_654_321, 7);
  return body + luhnKey(body);
};

/** SIRET: SIREN + 4-digit establishment order + a key making the 14 digits Luhn-valid. */
export const siretOf = (siren: string, order: number): string => {
  const body = siren + pad(order % 10_000, 4);
  return body + luhnKey(body);
};

/**
 * FINESS: département code (`01`, `2A`, `970`+digit overseas as the sample's `9701…` for Guadeloupe), an
 * order, and a Luhn key computed with Corsica's letters as 0.
 */
export function finessOf(departement: string, order: number): string {
  const body =
    departement.length === 3
      ? `970${departement[2]}${pad(order % 10_000, 4)}`
      : `${departement}0${pad(order % 100_000, 5)}`;
  return body + luhnKey(finessDigits(body));
}

/** CPS/CPF card number: `80` + 8 scattered digits (10 digits). */
export const cardNumberOf = (ordinal: number): string => '80' + scatter(ordinal, 9_876_543, 12_345_678, 8);
