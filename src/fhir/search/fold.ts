/**
 * Folding for string search: case- and accent-insensitive, so `bénédicte` finds `BENEDICTE` (users-pain-points
 * #12). Decomposes (NFD), drops combining marks, expands the ligatures French names use, lower-cases, and
 * collapses white space.
 */
const LIGATURES: Readonly<Record<string, string>> = { œ: 'oe', Œ: 'oe', æ: 'ae', Æ: 'ae', ß: 'ss' };

export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[œŒæÆß]/g, (c) => LIGATURES[c] ?? c)
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}
