/**
 * What `annuaire diff` compares in each kind of extract: the entities a file's lines describe, each with the
 * columns that identify it (its key) and the columns compared (its fields). A file's lines are grouped by one
 * column (the person's idNat_PS, or the mailbox address), so every entity of a group is found in the same
 * group of the other file, whatever the order of the lines.
 *
 * Personne_activite has one line per person × practice situation × savoir-faire: the professional is keyed by
 * idNat_PS, the situation by person, structure, profession, mode and role (the PractitionerRole key,
 * domain/resource-ids.ts). A field that takes several values over an entity's lines (its savoir-faire) is
 * compared as the sorted set of its values.
 */
import { PORTEURS_CPS_CPF } from '../../sources/cps/columns.js';
import { MSSANTE } from '../../sources/mssante/columns.js';
import { DIPL_AUT_EXERC, PERSONNE_ACTIVITE, SAVOIR_FAIRE } from '../../sources/rpps/columns.js';

export type DiffKind = 'personne-activite' | 'dipl-aut-exerc' | 'savoir-faire' | 'mssante' | 'cps';

export type EntityKind = 'professional' | 'situation' | 'diploma' | 'savoir-faire' | 'card' | 'mailbox';

export interface EntitySpec {
  readonly kind: EntityKind;
  /** Column names whose values identify the entity within the file. */
  readonly key: readonly string[];
  /** Column names compared; undefined: every column of the file not in the key or claimed by another entity. */
  readonly fields?: readonly string[];
  /**
   * True for the copy of the person's columns in the diploma, savoir-faire and card files: reported only when
   * Personne_activite, where they belong, is not part of the comparison.
   */
  readonly secondary?: boolean;
}

export interface DiffSpec {
  /** The column that groups a file's lines (every entity key starts with it). */
  readonly groupBy: string;
  readonly entities: readonly EntitySpec[];
}

const PA = PERSONNE_ACTIVITE;
const DA = DIPL_AUT_EXERC;
const SF = SAVOIR_FAIRE;
const CPS = PORTEURS_CPS_CPF;

const personOf = (c: {
  typeIdentifiant: string;
  identifiant: string;
  idNatPs: string;
  nomExercice: string;
  prenomExercice: string;
}): EntitySpec => ({
  kind: 'professional',
  key: [c.idNatPs],
  fields: [c.typeIdentifiant, c.identifiant, c.nomExercice, c.prenomExercice],
  secondary: true,
});

export const DIFF_SPECS: Readonly<Record<DiffKind, DiffSpec>> = {
  'personne-activite': {
    groupBy: PA.idNatPs,
    entities: [
      {
        kind: 'professional',
        key: [PA.idNatPs],
        fields: [
          PA.typeIdentifiant,
          PA.identifiant,
          PA.codeCiviliteExercice,
          PA.libelleCiviliteExercice,
          PA.codeCivilite,
          PA.libelleCivilite,
          PA.nomExercice,
          PA.prenomExercice,
        ],
      },
      {
        kind: 'situation',
        key: [PA.idNatPs, PA.structureId, PA.codeProfession, PA.codeModeExercice, PA.codeRole],
      },
    ],
  },
  'dipl-aut-exerc': {
    groupBy: DA.idNatPs,
    entities: [
      personOf(DA),
      {
        kind: 'diploma',
        key: [
          DA.idNatPs,
          DA.codeTypeDiplome,
          DA.codeDiplome,
          DA.codeTypeAutorisation,
          DA.codeDisciplineAutorisation,
        ],
      },
    ],
  },
  'savoir-faire': {
    groupBy: SF.idNatPs,
    entities: [
      personOf(SF),
      {
        kind: 'savoir-faire',
        key: [SF.idNatPs, SF.codeProfession, SF.codeTypeSavoirFaire, SF.codeSavoirFaire],
      },
    ],
  },
  cps: {
    groupBy: CPS.idNatPs,
    entities: [personOf(CPS), { kind: 'card', key: [CPS.idNatPs, CPS.codeTypeCarte, CPS.numeroCarte] }],
  },
  mssante: {
    groupBy: MSSANTE.adresseBal,
    entities: [{ kind: 'mailbox', key: [MSSANTE.adresseBal] }],
  },
};

/** An entity spec resolved against the columns two files share: positions in each file. */
export interface ResolvedEntity {
  readonly kind: EntityKind;
  readonly key: readonly string[];
  readonly fields: readonly string[];
  readonly oldKey: readonly number[];
  readonly newKey: readonly number[];
  readonly oldFields: readonly number[];
  readonly newFields: readonly number[];
}

/**
 * Resolves `spec` over the header names of the old and new files: only the columns both have are keyed and
 * compared (a 52-column file has no role columns; the 56-column one's are then not compared: `notCompared`).
 */
export function resolveEntities(
  spec: DiffSpec,
  oldHeader: readonly string[],
  newHeader: readonly string[],
  withSecondary: boolean,
): { entities: ResolvedEntity[]; notCompared: string[] } {
  const oldPos = new Map(oldHeader.map((n, i) => [n, i]));
  const newPos = new Map(newHeader.map((n, i) => [n, i]));
  const common = oldHeader.filter((n) => newPos.has(n));
  const shared = new Set(common);
  const claimed = new Set(spec.entities.flatMap((e) => [...e.key, ...(e.fields ?? [])]));
  const entities = spec.entities
    .filter((e) => withSecondary || !e.secondary)
    .map((e): ResolvedEntity => {
      const key = e.key.filter((n) => shared.has(n));
      const fields = (e.fields ?? common.filter((n) => !claimed.has(n))).filter(
        (n) => shared.has(n) && !key.includes(n),
      );
      return {
        kind: e.kind,
        key,
        fields,
        oldKey: key.map((n) => oldPos.get(n)!),
        newKey: key.map((n) => newPos.get(n)!),
        oldFields: fields.map((n) => oldPos.get(n)!),
        newFields: fields.map((n) => newPos.get(n)!),
      };
    });
  const notCompared = [
    ...oldHeader.filter((n) => !newPos.has(n)),
    ...newHeader.filter((n) => !oldPos.has(n)),
  ];
  return { entities, notCompared };
}
