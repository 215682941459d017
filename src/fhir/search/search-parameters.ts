/**
 * The search-parameter table: one row per (resource, code). Adding a parameter means adding a row. `path` is a
 * dotted path into the resource; a segment `extension(url)` selects extensions by URL (the suffix of the
 * Annuaire IG canonical is enough). The official v2 list is in ../shared/reference/annuaire-formats.md §4.6.
 */
export type SearchParamType = 'string' | 'token' | 'reference' | 'date';

export interface SearchParameter {
  readonly resource: string;
  readonly code: string;
  readonly type: SearchParamType;
  readonly paths: readonly string[];
  /**
   * Parameters whose index rows this one also matches, so the same value is not indexed twice: `name` matches
   * the rows of `family` and `given`, and indexes only the other parts of a HumanName itself.
   */
  readonly alsoMatches?: readonly string[];
  /**
   * Served without index rows of its own: `active` from the version tables (it holds one of two values for
   * every resource: a row per resource would buy no selectivity), `identifier-type` from the type column of
   * the `identifier` rows (which `:of-type` needs anyway).
   */
  readonly column?: 'active' | 'identifier-type';
}

const AS = 'https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition/';
const p = (resource: string, code: string, type: SearchParamType, ...paths: string[]): SearchParameter => ({
  resource,
  code,
  type,
  paths,
});
const active = (resource: string): SearchParameter => ({
  ...p(resource, 'active', 'token'),
  column: 'active',
});
const identifierType = (resource: string): SearchParameter => ({
  ...p(resource, 'identifier-type', 'token'),
  column: 'identifier-type',
});
const humanName = (resource: string): SearchParameter => ({
  ...p(resource, 'name', 'string', 'name.text', 'name.prefix', 'name.suffix'),
  alsoMatches: ['family', 'given'],
});

export const SEARCH_PARAMETERS: readonly SearchParameter[] = [
  p('Practitioner', 'identifier', 'token', 'identifier'),
  identifierType('Practitioner'),
  active('Practitioner'),
  p('Practitioner', 'family', 'string', 'name.family'),
  p('Practitioner', 'given', 'string', 'name.given'),
  humanName('Practitioner'),
  p('Practitioner', 'qualification-code', 'token', 'qualification.code'),
  p('Practitioner', 'mailbox-mss', 'string', 'telecom.value'),
  p(
    'Practitioner',
    'number-smartcard',
    'string',
    `extension(${AS}as-ext-smartcard).extension(number).valueString`,
  ),
  p(
    'Practitioner',
    'type-smartcard',
    'token',
    `extension(${AS}as-ext-smartcard).extension(type).valueCodeableConcept`,
  ),
  p('PractitionerRole', 'identifier', 'token', 'identifier'),
  active('PractitionerRole'),
  p('PractitionerRole', 'practitioner', 'reference', 'practitioner'),
  p('PractitionerRole', 'organization', 'reference', 'organization'),
  p('PractitionerRole', 'role', 'token', 'code'),
  p('PractitionerRole', 'specialty', 'token', 'specialty'),
  p('PractitionerRole', 'mailbox-mss', 'string', 'telecom.value'),
  p('Organization', 'identifier', 'token', 'identifier'),
  identifierType('Organization'),
  active('Organization'),
  p('Organization', 'name', 'string', 'name', 'alias'),
  p('Organization', 'type', 'token', 'type'),
  p('Organization', 'partof', 'reference', 'partOf'),
  p('Organization', 'address', 'string', 'address'),
  p('Organization', 'address-city', 'string', 'address.city'),
  p('Organization', 'address-postalcode', 'string', 'address.postalCode'),
  p('Organization', 'address-line', 'string', 'address.line'),
  p('Organization', 'mailbox-mss', 'string', 'telecom.value'),
  p(
    'Organization',
    'pharmacy-licence',
    'string',
    `extension(${AS}as-ext-organization-pharmacy-licence).valueString`,
  ),
];
