/**
 * Windows-1252 encoding for the CPS extract, believed to be ISO-8859-1 in the real world: writing it in cp1252
 * exercises the importer's fallback decoder. Node has no cp1252 encoder (only latin1, which mangles € or Œ).
 */

/** The code points cp1252 puts at bytes 0x80–0x9F (0 where the byte is undefined). */
const HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0,
  0x017d, 0, 0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0, 0x017e, 0x0178,
];

const EXTRA = new Map<number, number>(HIGH.flatMap((cp, i) => (cp ? [[cp, 0x80 + i] as const] : [])));

/** Encodes `text` in Windows-1252; characters it cannot represent become `?`. */
export function encodeCp1252(text: string): Buffer {
  const out = Buffer.allocUnsafe(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80 || (c >= 0xa0 && c <= 0xff)) {
      out[i] = c;
    } else {
      out[i] = EXTRA.get(c) ?? 0x3f;
    }
  }
  return out;
}
