/** The search-parameter table indexed by resource type and code, built once by the composition root. */
import type { SearchParameter } from './search-parameters.js';

export class ParameterTable {
  readonly #byType = new Map<string, Map<string, SearchParameter>>();

  constructor(readonly parameters: readonly SearchParameter[]) {
    for (const p of parameters) {
      let codes = this.#byType.get(p.resource);
      if (!codes) {
        codes = new Map();
        this.#byType.set(p.resource, codes);
      }
      codes.set(p.code, p);
    }
  }

  get(type: string, code: string): SearchParameter | undefined {
    return this.#byType.get(type)?.get(code);
  }

  of(type: string): SearchParameter[] {
    return [...(this.#byType.get(type)?.values() ?? [])];
  }

  /** The reference parameters of a type (`_include=Type:*`). */
  references(type: string): SearchParameter[] {
    return this.of(type).filter((p) => p.type === 'reference');
  }
}
