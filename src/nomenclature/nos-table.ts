/**
 * One NOS table (TRE, JDV, or an IG CodeSystem): its canonical URL and its concepts with their end-of-use date.
 * https://esante.gouv.fr/interoperabilite/mos-nos
 */
export interface NosConcept {
  readonly code: string;
  readonly display: string;
  /** NOS `date de fin d'exploitation` (YYYY-MM-DD): the concept is retired after it. */
  readonly dateFin?: string;
}

export interface NosTableInfo {
  /** e.g. `TRE_G15-ProfessionSante`. */
  readonly name: string;
  /** Canonical URL, the FHIR `system`: `https://mos.esante.gouv.fr/NOS/<TRE_X>/FHIR/<TRE-X>`. */
  readonly url: string;
  /** For tables vendored as a ValueSet subset of the TRE (ROR value sets). */
  readonly valueSet?: string;
  readonly oid: string;
  readonly version: string;
}

export type Lookup =
  | { readonly known: true; readonly display: string; readonly active: boolean; readonly dateFin?: string }
  | { readonly known: false };

export class NosTable {
  readonly #concepts: ReadonlyMap<string, NosConcept>;

  constructor(
    readonly info: NosTableInfo,
    concepts: readonly NosConcept[],
  ) {
    this.#concepts = new Map(concepts.map((c) => [c.code, c]));
  }

  get size(): number {
    return this.#concepts.size;
  }

  concepts(): IterableIterator<NosConcept> {
    return this.#concepts.values();
  }

  /** Looks `code` up; `active` is false once `on` (default today) is past the concept's end date. */
  lookup(code: string, on: string = new Date().toISOString().slice(0, 10)): Lookup {
    const c = this.#concepts.get(code);
    if (!c) {
      return { known: false };
    }
    const active = c.dateFin === undefined || c.dateFin >= on;
    return c.dateFin === undefined
      ? { known: true, display: c.display, active }
      : { known: true, display: c.display, active, dateFin: c.dateFin };
  }
}
