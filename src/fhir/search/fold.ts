/**
 * Folding for string search: case- and accent-insensitive, so `bénédicte` finds `BENEDICTE` (users-pain-points
 * #12). Lower-cases, decomposes (NFD), drops combining marks, expands the ligatures French names use, and
 * collapses white space.
 */
const NON_ASCII = /[\u0080-\uffff]/;
const LIGATURES: Readonly<Record<string, string>> = { œ: 'oe', æ: 'ae', ß: 'ss' };

export function fold(text: string): string {
  // Most names in the national files are plain ASCII: no decomposition needed.
  if (!NON_ASCII.test(text)) {
    return text.toLowerCase().replace(/\s+/g, ' ').trim();
  }
  // Lower-case first: lower-casing can itself produce combining marks (İ → i + U+0307), which NFD then drops.
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[œæß]/g, (c) => LIGATURES[c] ?? c)
    .replace(/\s+/g, ' ')
    .trim();
}
