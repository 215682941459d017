/** Displays of NOS codes, as the extracts print them next to each code (`10|Médecin`). */
import type { Nomenclatures } from '../nomenclature/nomenclatures.js';

export class Labels {
  readonly #cache = new Map<string, Map<string, string>>();

  constructor(readonly nomenclatures: Nomenclatures) {}

  /** The display of `code` in `table`; a missing table or code is a programming error of the generator. */
  of(table: string, code: string): string {
    if (code === '') {
      return '';
    }
    let codes = this.#cache.get(table);
    if (!codes) {
      codes = new Map();
      this.#cache.set(table, codes);
    }
    let display = codes.get(code);
    if (display === undefined) {
      const found = this.nomenclatures.table(table)?.lookup(code, '2026-11-01');
      if (!found?.known) {
        throw new Error(`${code} is not a code of ${table}`);
      }
      display = found.display;
      codes.set(code, display);
    }
    return display;
  }
}
