/**
 * Luhn (mod 10) check keys, used by RPPS numbers, FINESS numbers, SIREN and SIRET.
 * https://fr.wikipedia.org/wiki/Formule_de_Luhn
 */

/** Sum of the Luhn digits of `digits`, doubling every second digit from the right when `keyIncluded`. */
function luhnSum(digits: string, keyIncluded: boolean): number {
  let sum = 0;
  let double = !keyIncluded;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) {
        d -= 9;
      }
    }
    sum += d;
    double = !double;
  }
  return sum;
}

/** True when `digits` (key included, digits only) passes the Luhn check. */
export function luhnValid(digits: string): boolean {
  return /^\d+$/.test(digits) && luhnSum(digits, true) % 10 === 0;
}

/** The Luhn key digit to append to `body` (digits only). */
export function luhnKey(body: string): string {
  if (!/^\d+$/.test(body)) {
    throw new RangeError(`luhnKey needs digits, got "${body}"`);
  }
  return String((10 - (luhnSum(body, false) % 10)) % 10);
}
