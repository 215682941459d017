/**
 * Codings back to the code and label columns of the national files: which NOS table a FHIR `system` is (the
 * inverse of nomenclature/nomenclatures.ts resolve), and a civility's code from the display the importer put in
 * `name.prefix`.
 */
import type { Nomenclatures } from '../../nomenclature/nomenclatures.js';

/** A code column and its label column. */
export interface CodeColumns {
  readonly code: string;
  readonly label: string;
}

export const NO_CODE: CodeColumns = { code: '', label: '' };

type Json = Record<string, unknown>;

export interface Coding {
  readonly system?: string;
  readonly code?: string;
  readonly display?: string;
}

/** The codings of a CodeableConcept (none for anything else). */
export function codingsOf(concept: unknown): Coding[] {
  const coding = (concept as Json | undefined)?.['coding'];
  return Array.isArray(coding) ? (coding as Coding[]) : [];
}

export const columnsOf = (c: Coding | undefined): CodeColumns =>
  c?.code ? { code: c.code, label: c.display ?? '' } : NO_CODE;

export class CodeReader {
  readonly #nomenclatures: Nomenclatures;
  readonly #civilities = new Map<string, string>();

  constructor(nomenclatures: Nomenclatures) {
    this.#nomenclatures = nomenclatures;
    for (const c of nomenclatures.table('TRE_R11-CiviliteExercice')?.concepts() ?? []) {
      this.#civilities.set(c.display, c.code);
    }
  }

  /** The system the importer writes for a table (its canonical URL, or the fallback for a table not vendored). */
  systemOf(table: string): string {
    return this.#nomenclatures.table(table)?.info.url ?? `https://mos.esante.gouv.fr/NOS/${table}`;
  }

  /** Whether a coding is of one of these tables. */
  isOf(coding: Coding | undefined, ...tables: readonly string[]): boolean {
    return coding?.system !== undefined && tables.some((t) => this.systemOf(t) === coding.system);
  }

  /** The first coding of a concept that is of one of these tables. */
  find(concept: unknown, ...tables: readonly string[]): Coding | undefined {
    return codingsOf(concept).find((c) => this.isOf(c, ...tables));
  }

  /**
   * The civility (TRE_R11) whose display the importer wrote as the name's prefix. A prefix no concept displays
   * was an unknown code with its file label: the code and label are both given as that text.
   */
  civility(prefix: string | undefined): CodeColumns {
    if (!prefix) {
      return NO_CODE;
    }
    return { code: this.#civilities.get(prefix) ?? prefix, label: prefix };
  }
}
