/**
 * Turns coded values into FHIR Codings with their NOS system URL and display (nomenclature/), and counts what
 * could not be resolved: an unknown code is kept with the source's label and reported, never dropped.
 */
import type { CodedValue } from '../domain/coded-value.js';
import type { Nomenclatures } from '../nomenclature/nomenclatures.js';

export interface Coding {
  readonly system: string;
  readonly code: string;
  readonly display?: string;
}

export interface CodeableConcept {
  readonly coding: readonly Coding[];
}

export class Coder {
  readonly #nomenclatures: Nomenclatures;
  /** `table code` → times seen, for the release report. */
  readonly unknown = new Map<string, number>();
  readonly #cache = new Map<string, Coding>();
  readonly #on: string;

  /** `on`: the date codes are checked against (a release's date). */
  constructor(nomenclatures: Nomenclatures, on: string) {
    this.#nomenclatures = nomenclatures;
    this.#on = on;
  }

  coding(value: CodedValue): Coding {
    const key = `${value.table}\u0000${value.code}`;
    const cached = this.#cache.get(key);
    if (cached) {
      if (this.unknown.has(key)) {
        this.unknown.set(key, this.unknown.get(key)! + 1);
      }
      return cached;
    }
    const { resolved, warning } = this.#nomenclatures.resolve(value, this.#on);
    const coding: Coding =
      resolved.display === undefined
        ? { system: resolved.system, code: resolved.code }
        : { system: resolved.system, code: resolved.code, display: resolved.display };
    if (warning) {
      this.unknown.set(key, 1);
    }
    // Unknown codes keep the first label seen: later lines may carry another, but one code has one display.
    this.#cache.set(key, coding);
    return coding;
  }

  concept(...values: (CodedValue | undefined)[]): CodeableConcept | undefined {
    const coding = values.filter((v): v is CodedValue => v !== undefined).map((v) => this.coding(v));
    return coding.length === 0 ? undefined : { coding };
  }

  /** What was not found, for the report: `TRE_X code (n lines)`. */
  report(): string[] {
    return [...this.unknown].map(([key, n]) => {
      const [table, code] = key.split('\u0000');
      return `unknown code "${code}" in ${table} (${n} occurrence${n > 1 ? 's' : ''})`;
    });
  }
}
