/**
 * The distinct values of a string search parameter, read from the FTS5 term dictionary (table search_vocab, a
 * fts5vocab view of search_doc: https://sqlite.org/fts5.html#the_fts5vocab_virtual_table_module). `:contains`
 * looks its text up here, in the values rather than in the resources: a national name index has a few hundred
 * thousand distinct values for millions of resources. Built once per parameter and release, then kept.
 */
import type { SqlRunner } from './engine.js';
import { unhex } from './index-terms.js';

export class ValueDictionary {
  /** Folded values and their terms, side by side. */
  readonly #norms: string[] = [];
  readonly #terms: string[] = [];

  static async load(db: SqlRunner, pid: number): Promise<ValueDictionary> {
    const prefix = `s${pid}_`;
    // '`' follows '_' in ASCII: the range holds exactly the terms of this parameter.
    const rows = await db.all<{ term: string }>(
      'SELECT term FROM search_vocab WHERE term >= ? AND term < ? AND doc > 0',
      [prefix, `s${pid}\``],
    );
    const d = new ValueDictionary();
    for (const { term } of rows) {
      // s{pid}_{hex(norm)}_{fnv1a(exact)}: the folded value is between the first and the last '_'.
      const end = term.lastIndexOf('_');
      d.#norms.push(unhex(term.slice(prefix.length, end)));
      d.#terms.push(term);
    }
    return d;
  }

  get size(): number {
    return this.#terms.length;
  }

  /** The terms whose folded value contains `needle`, or 'too-many' past `max`. */
  containing(needle: string, max: number): string[] | 'too-many' {
    const out: string[] = [];
    for (let i = 0; i < this.#norms.length; i++) {
      if (this.#norms[i]!.includes(needle)) {
        if (out.length === max) {
          return 'too-many';
        }
        out.push(this.#terms[i]!);
      }
    }
    return out;
  }
}
