/**
 * The terms of one search parameter, read from the FTS5 term dictionary (table search_vocab, a fts5vocab view
 * of search_doc: https://sqlite.org/fts5.html#the_fts5vocab_virtual_table_module). `:contains` and `system|`
 * look their text up here, among the distinct values rather than the resources: a national name index has a
 * few hundred thousand distinct values for millions of resources. Built once per parameter and release.
 */
import type { SqlRunner } from './engine.js';
import { unhex } from './index-terms.js';

/** The length of the substrings indexed for `:contains` (see #trigrams). */
const GRAM = 3;

export class ValueDictionary {
  readonly #terms: string[] = [];
  /** For string terms, the folded values, side by side with the terms. */
  readonly #norms: string[] = [];
  /**
   * For each substring of GRAM characters, the values that hold it, in term order: a `:contains` of GRAM
   * characters or more tests only the values that hold its rarest one, not every value (a national family index
   * has 200,000 of them: 3–6 ms a request). Built on the first `:contains`.
   */
  #grams: Map<string, Int32Array> | undefined;

  /** `prefix` is `s{pid}_` for a string parameter, `t{pid}_` for a token parameter. */
  static async load(db: SqlRunner, prefix: string): Promise<ValueDictionary> {
    // The character after '_' in ASCII is '`': the range holds exactly the terms of this parameter.
    const rows = await db.all<{ term: string }>(
      'SELECT term FROM search_vocab WHERE term >= ? AND term < ? AND doc > 0',
      [prefix, `${prefix.slice(0, -1)}\``],
    );
    const d = new ValueDictionary();
    const strings = prefix.startsWith('s');
    for (const { term } of rows) {
      d.#terms.push(term);
      if (strings) {
        // s{pid}_{hex(norm)}_{fnv1a(exact)}: the folded value is between the first and the last '_'.
        d.#norms.push(unhex(term.slice(prefix.length, term.lastIndexOf('_'))));
      }
    }
    return d;
  }

  get size(): number {
    return this.#terms.length;
  }

  /** The string terms whose folded value contains `needle`, or 'too-many' past `max`. */
  containing(needle: string, max: number): string[] | 'too-many' {
    const test = (i: number): boolean => this.#norms[i]!.includes(needle);
    if (needle.length < GRAM) {
      return this.#select(test, max);
    }
    const grams = (this.#grams ??= this.#index());
    let rarest: Int32Array | undefined;
    for (let at = 0; at + GRAM <= needle.length; at++) {
      const values = grams.get(needle.slice(at, at + GRAM));
      if (values === undefined) {
        return [];
      }
      if (rarest === undefined || values.length < rarest.length) {
        rarest = values;
      }
    }
    const out: string[] = [];
    for (const i of rarest!) {
      if (test(i)) {
        if (out.length === max) {
          return 'too-many';
        }
        out.push(this.#terms[i]!);
      }
    }
    return out;
  }

  #index(): Map<string, Int32Array> {
    const lists = new Map<string, number[]>();
    this.#norms.forEach((norm, i) => {
      for (let at = 0; at + GRAM <= norm.length; at++) {
        const gram = norm.slice(at, at + GRAM);
        const list = lists.get(gram);
        if (list === undefined) {
          lists.set(gram, [i]);
        } else if (list[list.length - 1] !== i) {
          // A value holding a gram twice is listed once.
          list.push(i);
        }
      }
    });
    return new Map([...lists].map(([gram, list]) => [gram, Int32Array.from(list)]));
  }

  /** The terms that end with `suffix` (a token's system: `_{sid}`), or 'too-many' past `max`. */
  endingWith(suffix: string, max: number): string[] | 'too-many' {
    return this.#select((i) => this.#terms[i]!.endsWith(suffix), max);
  }

  #select(test: (i: number) => boolean, max: number): string[] | 'too-many' {
    const out: string[] = [];
    for (let i = 0; i < this.#terms.length; i++) {
      if (test(i)) {
        if (out.length === max) {
          return 'too-many';
        }
        out.push(this.#terms[i]!);
      }
    }
    return out;
  }
}
