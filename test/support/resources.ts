/** Small FHIR resources shaped like the official as-dp profiles, for store and search tests. */
import type { Resource } from '../../src/store/store.js';

const G15 = 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante';

export function practitioner(
  rpps: string,
  family: string,
  given: string,
  extra: Partial<Resource> = {},
): Resource {
  return {
    resourceType: 'Practitioner',
    id: `8${rpps}`,
    meta: {
      profile: ['https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition/as-dp-practitioner'],
    },
    identifier: [
      { system: 'urn:oid:1.2.250.1.71.4.2.1', value: `8${rpps}` },
      { system: 'https://rpps.esante.gouv.fr', value: rpps },
    ],
    active: true,
    name: [{ use: 'usual', family, given: [given] }],
    qualification: [{ code: { coding: [{ system: G15, code: '10', display: 'Médecin' }] } }],
    ...extra,
  };
}

export function organization(finess: string, name: string, city: string): Resource {
  return {
    resourceType: 'Organization',
    id: `F${finess}`,
    identifier: [{ system: 'https://finess.esante.gouv.fr', value: finess }],
    active: true,
    name,
    address: [{ city, postalCode: '75001' }],
  };
}
