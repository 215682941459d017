/** Text conventions of the national extracts: upper-case labels, accents stripped where the registries do. */

/** Removes diacritics (É → E, Ç → C) and ligatures (Œ → OE). */
export function stripAccents(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/Œ/g, 'OE')
    .replace(/œ/g, 'oe')
    .replace(/Æ/g, 'AE')
    .replace(/æ/g, 'ae');
}

/**
 * A commune's name as La Poste writes it on the "ligne d'acheminement": upper case, no accents, hyphens and
 * apostrophes as spaces, SAINT/SAINTE abbreviated (`L'Abergement-Clémenciat` → `L ABERGEMENT CLEMENCIAT`).
 */
export function postalCityName(nom: string): string {
  return stripAccents(nom)
    .toUpperCase()
    .replace(/['’-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^SAINTE /, 'STE ')
    .replace(/^SAINT /, 'ST ')
    .replace(/ SAINTE /g, ' STE ')
    .replace(/ SAINT /g, ' ST ');
}

/** `01440 VIRIAT`. */
export const ligneAcheminement = (codePostal: string, nom: string): string =>
  `${codePostal} ${postalCityName(nom)}`;

/** Upper case without accents: the form most registry labels take. */
export const plainUpper = (s: string): string => stripAccents(s).toUpperCase();

/** A mailbox or domain part: lower case, accents stripped, spaces to hyphens, other punctuation dropped. */
export function mailPart(s: string): string {
  return stripAccents(s)
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[\s_]+/g, '-')
    .replace(/[^a-z0-9.-]/g, '')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
}

export const pad = (n: number, width: number): string => String(n).padStart(width, '0');
