/**
 * Index entries as full-text terms, for engines that keep the index as one document per version (SQLite's
 * FTS5: one insert per version instead of one B-tree insert per entry, measured six times faster for a
 * Practitioner's eight entries). Values are encoded (see hex) so any text becomes one case-preserving token,
 * and a prefix of a value is a prefix of its term.
 * https://sqlite.org/fts5.html
 */
import type { IndexEntry, IndexMatch } from '../store.js';

/**
 * Encodes text as one token of [a-z0-9]: lower-case letters other than q, and digits, stand for themselves;
 * `q` is `q0`, an upper-case letter is `q` and its lower case (the FTS5 ascii tokenizer folds case), and any
 * other UTF-16 unit is `q1` and four hex digits. Reversible, and a prefix of a text encodes to a prefix of its
 * token. A hand loop: this runs for every indexed value of a national load.
 */
export function hex(text: string): string {
  let out = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const plain = (c >= 97 && c <= 122 && c !== 113) || (c >= 48 && c <= 57);
    if (plain) {
      continue;
    }
    out += text.slice(start, i);
    start = i + 1;
    if (c === 113) {
      out += 'q0';
    } else if (c >= 65 && c <= 90) {
      out += 'q' + String.fromCharCode(c + 32);
    } else {
      out += 'q1' + c.toString(16).padStart(4, '0');
    }
  }
  return start === 0 ? text : out + text.slice(start);
}

/** FNV-1a, 32 bits, as 8 hex digits: exact-text terms only need to tell texts with the same folded form apart. */
export function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/**
 * Appends the terms of an entry to `out`, given its parameter's pid and, for tokens, the dictionary ids of its
 * system (`sid`) and of its identifier type (`tid`, 0 when none). One term per entry, and a second for a typed
 * identifier: the parts a query may leave out come last, where a prefix query (`"…_"*`) skips them. Fewer terms
 * is what makes the bulk write fast (FTS5's insert cost grows with the terms of a document).
 * - token: `t{pid}_{value}_{sid}`, and `y{pid}_{value}_{tid}` for a typed identifier;
 * - string: `s{pid}_{folded}_{fnv1a(exact)}`: a prefix of the folded text is a prefix of the term;
 * - reference: `r{pid}_{target}`.
 */
export function addTerms(out: string[], pid: number, entry: IndexEntry, sid: number, tid: number): void {
  switch (entry.kind) {
    case 'token': {
      const value = hex(entry.value);
      out.push(`t${pid}_${value}_${sid}`);
      if (tid !== 0) {
        out.push(`y${pid}_${value}_${tid}`);
      }
      return;
    }
    case 'string':
      out.push(`s${pid}_${hex(entry.norm)}_${fnv1a(entry.exact)}`);
      return;
    case 'reference':
      out.push(`r${pid}_${hex(entry.target)}`);
      return;
    case 'date':
      return;
  }
}

/**
 * The FTS5 query for a match: quoted terms, `*` for a prefix. `sid` and `tid` are the dictionary ids of
 * match.system and match.type, when given.
 */
export function matchQuery(
  pid: number,
  match: IndexMatch,
  sid: number | undefined,
  tid: number | undefined,
): string {
  switch (match.kind) {
    case 'token': {
      const value = hex(match.value);
      const terms = [sid !== undefined ? `"t${pid}_${value}_${sid}"` : `"t${pid}_${value}_"*`];
      if (tid !== undefined) {
        terms.push(`"y${pid}_${value}_${tid}"`);
      }
      return terms.join(' AND ');
    }
    case 'string': {
      const norm = `s${pid}_${hex(match.norm)}`;
      if (match.mode === 'prefix') {
        return `"${norm}"*`;
      }
      return match.exact === undefined ? `"${norm}_"*` : `"${norm}_${fnv1a(match.exact)}"`;
    }
    case 'reference':
      return `"r${pid}_${hex(match.target)}"`;
  }
}

/** The text a token of hex() encodes. */
export function unhex(token: string): string {
  let out = '';
  for (let i = 0; i < token.length; i++) {
    const c = token[i]!;
    if (c !== 'q') {
      out += c;
    } else if (token[i + 1] === '0') {
      out += 'q';
      i += 1;
    } else if (token[i + 1] === '1') {
      out += String.fromCharCode(parseInt(token.slice(i + 2, i + 6), 16));
      i += 5;
    } else {
      out += (token[i + 1] ?? '').toUpperCase();
      i += 1;
    }
  }
  return out;
}
