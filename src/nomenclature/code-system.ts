/**
 * A NOS table as a FHIR R4 CodeSystem resource (complete content), to be served at /fhir/CodeSystem.
 * https://hl7.org/fhir/R4/codesystem.html
 */
import { notFound } from '../error.js';
import type { NosTable } from './nos-table.js';

export interface CodeSystemResource {
  readonly resourceType: 'CodeSystem';
  readonly id: string;
  readonly url: string;
  readonly identifier?: readonly { system: string; value: string }[];
  readonly version: string;
  readonly name: string;
  readonly title: string;
  readonly status: 'active';
  readonly content: 'complete' | 'fragment';
  readonly count: number;
  readonly property: readonly { code: string; type: string; description: string }[];
  readonly concept: readonly {
    code: string;
    display: string;
    property?: readonly { code: string; valueDateTime: string }[];
  }[];
}

/** FHIR ids allow [A-Za-z0-9-.]: the table name with `_` turned into `-` (`TRE-G15-ProfessionSante`). */
export const codeSystemId = (table: NosTable): string => table.info.name.replace(/_/g, '-');

/**
 * Whether a table is a code system. A JDV (jeu de valeurs) vendored as a table of its own is a ValueSet over the
 * codes of a TRE (data/nos/tables.json names it with that TRE instead of a canonical URL): its codes belong to
 * the TRE's system, and it is no CodeSystem.
 */
export const isCodeSystem = (table: NosTable): boolean => !table.info.name.startsWith('JDV_');

/** The CodeSystem of a table; throws AnnuaireError(404 not-found) for a value set (see isCodeSystem). */
export function toCodeSystem(table: NosTable): CodeSystemResource {
  const { info } = table;
  if (!isCodeSystem(table)) {
    throw notFound(`${info.name} is a value set, not a code system`, info.name);
  }
  const oid = /^[0-9.]+$/.test(info.oid)
    ? [{ system: 'urn:ietf:rfc:3986', value: `urn:oid:${info.oid}` }]
    : undefined;
  return {
    resourceType: 'CodeSystem',
    id: codeSystemId(table),
    url: info.url,
    ...(oid ? { identifier: oid } : {}),
    version: info.version,
    name: info.name.replace(/[^A-Za-z0-9_]/g, '_'),
    title: info.name,
    status: 'active',
    // A table vendored as the ROR value-set subset of its TRE is only a fragment of the CodeSystem.
    content: info.valueSet ? 'fragment' : 'complete',
    count: table.size,
    property: [{ code: 'dateFin', type: 'dateTime', description: "Date de fin d'exploitation du concept" }],
    concept: [...table.concepts()].map((c) =>
      c.dateFin
        ? { code: c.code, display: c.display, property: [{ code: 'dateFin', valueDateTime: c.dateFin }] }
        : { code: c.code, display: c.display },
    ),
  };
}
