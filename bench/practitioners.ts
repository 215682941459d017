/**
 * Practitioner-shaped resources for the write benchmark, deterministic from their index: the shape of
 * as-dp-practitioner (two identifiers, a name, profession and savoir-faire qualifications, sometimes an
 * MSSanté mailbox), with names varied enough that the string index is not one long run of equal keys.
 */
import { luhnKey } from '../src/domain/luhn.js';
import type { Resource } from '../src/store/store.js';

const NOS = 'https://mos.esante.gouv.fr/NOS';
const FAMILIES = [
  'MARTIN',
  'BERNARD',
  'THOMAS',
  'PETIT',
  'ROBERT',
  'RICHARD',
  'DURAND',
  'DUBOIS',
  'MOREAU',
  'LAURENT',
  'SIMON',
  'MICHEL',
  'LEFÈVRE',
  'LEROY',
  'ROUX',
  'DAVID',
  'BERTRAND',
  'MOREL',
  'FOURNIER',
  'GIRARD',
];
const GIVENS = [
  'MARIE',
  'JEAN',
  'PIERRE',
  'HÉLÈNE',
  'BÉNÉDICTE',
  'JÉRÔME',
  'NICOLAS',
  'SOPHIE',
  'ISABELLE',
  'LUC',
];
const PROFESSIONS = [
  ['10', 'Médecin'],
  ['60', 'Infirmier'],
  ['70', 'Masseur-Kinésithérapeute'],
  ['21', 'Pharmacien'],
];

export function benchPractitioner(i: number): Resource {
  const body = String(1_000_000_000 + i).slice(-9);
  const rpps = `1${body}${luhnKey(`1${body}`)}`;
  const [code, display] = PROFESSIONS[i % PROFESSIONS.length]!;
  // Family names: a common root and a numeric suffix, so there are many distinct keys with shared prefixes.
  const family = `${FAMILIES[i % FAMILIES.length]!}${i % 7 === 0 ? '' : `-${(i * 7919) % 100_003}`}`;
  return {
    resourceType: 'Practitioner',
    id: `8${rpps}`,
    meta: {
      source: 'https://annuaire.sante.fr',
      profile: [
        'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-practitioner',
        'https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition/as-dp-practitioner',
      ],
    },
    language: 'fr',
    identifier: [
      {
        use: 'official',
        type: {
          coding: [{ system: 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203', code: 'IDNPS' }],
        },
        system: 'urn:oid:1.2.250.1.71.4.2.1',
        value: `8${rpps}`,
      },
      {
        use: 'official',
        type: {
          coding: [{ system: 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203', code: 'RPPS' }],
        },
        system: 'https://rpps.esante.gouv.fr',
        value: rpps,
      },
    ],
    active: true,
    name: [
      {
        use: 'usual',
        family,
        given: [GIVENS[(i * 31) % GIVENS.length]!],
        prefix: [i % 3 === 0 ? 'DR' : 'M'],
      },
    ],
    ...(i % 4 === 0
      ? { telecom: [{ system: 'email', value: `${family.toLowerCase()}.${i}@medecin.mssante.fr` }] }
      : {}),
    qualification: [
      {
        code: {
          coding: [
            { system: `${NOS}/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante`, code, display },
            {
              system: `${NOS}/TRE_R09-CategorieProfessionnelle/FHIR/TRE-R09-CategorieProfessionnelle`,
              code: 'C',
              display: 'Civil',
            },
          ],
        },
      },
      {
        code: {
          coding: [
            {
              system: `${NOS}/TRE_R38-SpecialiteOrdinale/FHIR/TRE-R38-SpecialiteOrdinale`,
              code: `SM${String(i % 60).padStart(2, '0')}`,
            },
          ],
        },
      },
    ],
  };
}
