/**
 * The CapabilityStatement: exactly what this server does, derived from the same tables the server runs on.
 * https://hl7.org/fhir/R4/capabilitystatement.html
 */
import type { ParameterTable } from '../search/parameter-table.js';
import { RESOURCE_TYPES } from '../search/search-parameters.js';

const AS_SP = 'https://interop.esante.gouv.fr/ig/fhir/annuaire/SearchParameter/';

/** https://hl7.org/fhir/uv/bulkdata/OperationDefinition-export.html */
const EXPORT = { name: 'export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export' };

export function capabilityStatement(
  params: ParameterTable,
  version: string,
  base: string,
  bulkExport = false,
): string {
  const common = [
    { name: '_id', type: 'token', documentation: 'Logical id; comma for any of several; :not' },
    {
      name: '_lastUpdated',
      type: 'date',
      documentation: 'Prefixes eq, ne, gt, lt, ge, le, sa, eb, ap; the precision of the value sets its range',
    },
  ];
  const resource = RESOURCE_TYPES.map((type) => {
    const refs = params.references(type);
    const revinclude = params.parameters
      .filter((p) => p.type === 'reference' && (p.targets ?? []).includes(type))
      .map((p) => `${p.resource}:${p.code}`);
    return {
      type,
      interaction: ['read', 'vread', 'search-type', 'history-instance', 'history-type'].map((code) => ({
        code,
      })),
      versioning: 'versioned',
      readHistory: true,
      conditionalRead: 'modified-since',
      searchInclude: [...refs.map((p) => `${type}:${p.code}`), `${type}:*`],
      ...(bulkExport ? { operation: [EXPORT] } : {}),
      ...(revinclude.length > 0 ? { searchRevInclude: revinclude } : {}),
      searchParam: [
        ...common,
        ...params.of(type).map((p) => ({
          name: p.code,
          ...(p.code.startsWith('data-') ||
          [
            'mailbox-mss',
            'number-smartcard',
            'type-smartcard',
            'qualification-code',
            'pharmacy-licence',
            'address-line',
          ].includes(p.code)
            ? { definition: `${AS_SP}as-sp-${p.code}` }
            : {}),
          type: p.type,
          documentation: documentation(p.type, p.code),
        })),
      ],
    };
  });
  return JSON.stringify({
    resourceType: 'CapabilityStatement',
    id: 'annuaire',
    url: `${base}/metadata`,
    name: 'Annuaire',
    title: 'Annuaire — FHIR API of the French directory of health actors',
    status: 'active',
    date: new Date().toISOString().slice(0, 10),
    publisher: 'Annuaire',
    kind: 'instance',
    software: { name: 'Annuaire', version },
    implementation: { description: 'Annuaire FHIR R4 server', url: base },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        security: {
          description:
            'Public perimeter without a key. Restricted and historized perimeters: an API key with that scope, in the ESANTE-API-KEY header or as Authorization: Bearer.',
        },
        resource: [
          ...resource,
          {
            type: 'CodeSystem',
            interaction: [{ code: 'read' }, { code: 'search-type' }],
            searchParam: ['_id', 'url', 'name', 'title', 'identifier', 'status', 'code'].map((name) => ({
              name,
              type: name === 'url' ? 'uri' : name === 'name' || name === 'title' ? 'string' : 'token',
            })),
          },
        ],
        interaction: [{ code: 'history-system' }],
        ...(bulkExport ? { operation: [EXPORT] } : {}),
      },
    ],
  });
}

function documentation(type: string, code: string): string {
  switch (type) {
    case 'string':
      return `Prefix, case- and accent-insensitive; :exact, :contains, :missing${code === 'address-postalcode' ? '; a département is a prefix (75)' : ''}`;
    case 'token':
      return (
        'system|code, |code, system|, code; :not, :missing' + (code === 'identifier' ? ', :of-type' : '')
      );
    case 'reference':
      return `Type/id or id; chains (${code}.param=…); :missing${code === 'partof' ? ', :above, :below' : ''}`;
    case 'special':
      return 'latitude|longitude|distance|unit (km, m, [mi_i]); positions within the distance';
    default:
      return 'Prefixes eq, ne, gt, lt, ge, le, sa, eb, ap';
  }
}
