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

/**
 * The tables a `Code profession` comes from: health professions (TRE_G15), then the titles and social
 * professions the RPPS also registers (psychologists, osteopaths, social workers…), whose codes moved out of
 * TRE_G15. An active concept wins over a retired one (93 Psychologue is retired in TRE_G15, active in TRE_R95).
 */
export const PROFESSION_TABLES = [
  'TRE_G15-ProfessionSante',
  'TRE_R95-UsagerTitre',
  'TRE_R94-ProfessionSocial',
  'TRE_R291-AutreProfession',
] as const;

/** The table a profession code belongs to, or undefined when none of them has it. */
export function professionTable(nomenclatures: Nomenclatures, code: string, on?: string): string | undefined {
  let retired: string | undefined;
  for (const name of PROFESSION_TABLES) {
    const found = nomenclatures.table(name)?.lookup(code, on);
    if (found?.known) {
      if (found.active) {
        return name;
      }
      retired ??= name;
    }
  }
  return retired;
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

  /** A profession code with the table it really belongs to (see PROFESSION_TABLES). */
  profession(value: CodedValue): CodedValue {
    const table = professionTable(this.#nomenclatures, value.code, this.#on);
    return table === undefined || table === value.table ? value : { ...value, table };
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
