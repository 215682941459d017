/**
 * The search-parameter table: one row per (resource, code). Adding a parameter means adding a row. `path` is a
 * dotted path into the resource; a segment `extension(url)` selects extensions by URL (the suffix of the
 * Annuaire IG canonical is enough). The official v2 list is in ../shared/reference/annuaire-formats.md §4.6.
 */
/** `special` is `near`: a position, indexed as its geohash cell in the string index (geohash.ts). */
export type SearchParamType = 'string' | 'token' | 'reference' | 'date' | 'special';

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
   * every resource: a row per resource would buy no selectivity).
   */
  readonly column?: 'active';
  /**
   * What of each node the paths reach is indexed (undefined: nothing), when not the node itself: a filter
   * that keeps restricted values out of the public index.
   */
  readonly value?: (node: unknown) => unknown;
  /** For references: the resource types it may point to (a chain or a bare id needs to know which). */
  readonly targets?: readonly string[];
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
/** Indexed on its own (not only as the type of each identifier entry) so that it is found without a value. */
const identifierType = (resource: string): SearchParameter =>
  p(resource, 'identifier-type', 'token', 'identifier.type');
const humanName = (resource: string): SearchParameter => ({
  ...p(resource, 'name', 'string', 'name.text', 'name.prefix', 'name.suffix'),
  alsoMatches: ['family', 'given'],
});

const ref = (resource: string, code: string, path: string, ...targets: string[]): SearchParameter => ({
  ...p(resource, code, 'reference', path),
  targets,
});
/** as-ext-data-trace in meta.extension: every resource of the directory says where it comes from. */
const dataTrace = (resource: string): SearchParameter[] => [
  p(
    resource,
    'data-information-system',
    'token',
    `meta.extension(${AS}as-ext-data-trace).extension(systeme-information).valueCode`,
  ),
  p(
    resource,
    'data-registration-authority',
    'token',
    `meta.extension(${AS}as-ext-data-trace).extension(autorite-enregistrement).valueCodeableConcept`,
  ),
];

/** The resource types the API serves, in the order of the CapabilityStatement. */
export const RESOURCE_TYPES = [
  'Practitioner',
  'PractitionerRole',
  'Organization',
  'HealthcareService',
  'Device',
  'Location',
  'Endpoint',
] as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * `mailbox-mss` finds MSSanté mailboxes that are public: an e-mail contact point that is an MSSanté mailbox
 * (its metadata extension, or an mssante.fr domain) and is not on the red list. Phones, other e-mails and
 * red-listed mailboxes are restricted (fhir/perimeter.ts), so a public search must not find a resource by them.
 */
export function publicMailbox(node: unknown): string | undefined {
  if (!isObject(node) || node['system'] !== 'email' || typeof node['value'] !== 'string') {
    return undefined;
  }
  const extensions = Array.isArray(node['extension']) ? (node['extension'] as unknown[]) : [];
  const metadata = extensions.find((e) => isObject(e) && e['url'] === `${AS}as-ext-mailbox-mss-metadata`);
  const redListed =
    isObject(metadata) &&
    Array.isArray(metadata['extension']) &&
    (metadata['extension'] as unknown[]).some(
      (e) => isObject(e) && e['url'] === 'listeRouge' && e['valueBoolean'] === true,
    );
  const mss = metadata !== undefined || /[.@]mssante\.fr$/i.test(node['value']);
  return mss && !redListed ? node['value'] : undefined;
}

const mailbox = (resource: string): SearchParameter => ({
  ...p(resource, 'mailbox-mss', 'string', 'telecom'),
  value: publicMailbox,
});

export const SEARCH_PARAMETERS: readonly SearchParameter[] = [
  ...RESOURCE_TYPES.flatMap(dataTrace),
  p('Practitioner', 'identifier', 'token', 'identifier'),
  identifierType('Practitioner'),
  active('Practitioner'),
  p('Practitioner', 'family', 'string', 'name.family'),
  p('Practitioner', 'given', 'string', 'name.given'),
  humanName('Practitioner'),
  p('Practitioner', 'qualification-code', 'token', 'qualification.code'),
  mailbox('Practitioner'),
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
  ref('PractitionerRole', 'practitioner', 'practitioner', 'Practitioner'),
  ref('PractitionerRole', 'organization', 'organization', 'Organization'),
  ref('PractitionerRole', 'location', 'location', 'Location'),
  ref('PractitionerRole', 'service', 'healthcareService', 'HealthcareService'),
  p('PractitionerRole', 'role', 'token', 'code'),
  p('PractitionerRole', 'specialty', 'token', 'specialty'),
  mailbox('PractitionerRole'),
  p('Organization', 'identifier', 'token', 'identifier'),
  identifierType('Organization'),
  active('Organization'),
  p('Organization', 'name', 'string', 'name', 'alias'),
  p('Organization', 'type', 'token', 'type'),
  ref('Organization', 'partof', 'partOf', 'Organization'),
  p('Organization', 'address', 'string', 'address'),
  p('Organization', 'address-city', 'string', 'address.city'),
  p('Organization', 'address-postalcode', 'string', 'address.postalCode'),
  p('Organization', 'address-line', 'string', 'address.line'),
  mailbox('Organization'),
  p(
    'Organization',
    'pharmacy-licence',
    'string',
    `extension(${AS}as-ext-organization-pharmacy-licence).valueString`,
  ),
  p(
    'Organization',
    'near',
    'special',
    'address.extension(http://hl7.org/fhir/StructureDefinition/geolocation)',
  ),
  ref('Organization', 'endpoint', 'endpoint', 'Endpoint'),
  p(
    'Organization',
    'address-insee',
    'token',
    'address.extension(https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-address-insee-code).valueCoding',
  ),
  p('HealthcareService', 'identifier', 'token', 'identifier'),
  active('HealthcareService'),
  p('HealthcareService', 'characteristic', 'token', 'characteristic'),
  ref('HealthcareService', 'organization', 'providedBy', 'Organization'),
  p('HealthcareService', 'service-category', 'token', 'category'),
  p('HealthcareService', 'service-type', 'token', 'type'),
  p('HealthcareService', 'name', 'string', 'name'),
  ref('HealthcareService', 'location', 'location', 'Location'),
  p('Location', 'identifier', 'token', 'identifier'),
  p('Location', 'name', 'string', 'name', 'alias'),
  ref('Location', 'organization', 'managingOrganization', 'Organization'),
  ref('Location', 'partof', 'partOf', 'Location'),
  p('Location', 'status', 'token', 'status'),
  p('Location', 'type', 'token', 'type'),
  p('Location', 'address-city', 'string', 'address.city'),
  p('Location', 'address-postalcode', 'string', 'address.postalCode'),
  p('Location', 'near', 'special', 'position'),
  p('Endpoint', 'identifier', 'token', 'identifier'),
  p('Endpoint', 'connection-type', 'token', 'connectionType'),
  p('Endpoint', 'payload-type', 'token', 'payloadType'),
  ref('Endpoint', 'organization', 'managingOrganization', 'Organization'),
  p('Endpoint', 'status', 'token', 'status'),
  p('Endpoint', 'name', 'string', 'name'),
  p('Device', 'identifier', 'token', 'identifier'),
  p('Device', 'manufacturer', 'string', 'manufacturer'),
  p('Device', 'model', 'string', 'modelNumber'),
  ref('Device', 'organization', 'owner', 'Organization'),
  p('Device', 'status', 'token', 'status'),
  p('Device', 'type', 'token', 'type'),
];
