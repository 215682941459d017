/**
 * The URLs of the Annuaire Santé FHIR profiles, extensions and identifier systems the resources carry, as the
 * official API v2 emits them (../shared/reference/annuaire-formats.md §4.2–4.4).
 * https://interop.esante.gouv.fr/ig/fhir/annuaire
 */
export const AS = 'https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition/';
export const FR_CORE = 'https://hl7.fr/ig/fhir/core/StructureDefinition/';

export const PROFILE = {
  practitioner: [`${FR_CORE}fr-core-practitioner`, `${AS}as-dp-practitioner`],
  practitionerRole: [`${FR_CORE}fr-core-practitioner-role`, `${AS}as-dp-practitionerrole`],
  organization: [`${FR_CORE}fr-core-organization`, `${AS}as-dp-organization`],
} as const;

export const EXTENSION = {
  dataTrace: `${AS}as-ext-data-trace`,
  smartcard: `${AS}as-ext-smartcard`,
  authorization: `${AS}as-ext-practitioner-authorization`,
  mailboxMetadata: `${AS}as-ext-mailbox-mss-metadata`,
  organizationTypes: `${AS}as-ext-organization-types`,
  emailType: `${FR_CORE}fr-core-contact-point-email-type`,
  inseeCode: `${FR_CORE}fr-core-address-insee-code`,
  organizationPeriod: 'http://hl7.org/fhir/StructureDefinition/organization-period',
  /** The standard FHIR extension for a position on an Address. https://hl7.org/fhir/R4/extension-geolocation.html */
  geolocation: 'http://hl7.org/fhir/StructureDefinition/geolocation',
} as const;

export const SYSTEM = {
  idNatPs: 'urn:oid:1.2.250.1.71.4.2.1',
  rpps: 'https://rpps.esante.gouv.fr',
  idNatSt: 'urn:oid:1.2.250.1.71.4.2.2',
  finess: 'https://finess.esante.gouv.fr',
  sirene: 'https://sirene.fr',
  rppsRang: 'https://rppsrang.esante.gouv.fr',
  identifierType: 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203',
  organizationType: 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-3307',
} as const;

/** The source the official API puts in meta.source. */
export const META_SOURCE = 'https://annuaire.sante.fr';

/** An official identifier with its fr-core type (IDNPS, RPPS, IDNST, FINEG, FINEJ, SIRET…). */
export const identifier = (type: string, system: string, value: string): Record<string, unknown> => ({
  use: 'official',
  type: { coding: [{ system: SYSTEM.identifierType, code: type }] },
  system,
  value,
});
