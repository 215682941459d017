/**
 * A NOS table as a FHIR R4 CodeSystem resource (complete content), to be served at /fhir/CodeSystem.
 * https://hl7.org/fhir/R4/codesystem.html
 */
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

export function toCodeSystem(table: NosTable): CodeSystemResource {
  const { info } = table;
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
