/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-return -- the cases edit FHIR JSON, whose shape is what they check */
/**
 * The judge itself: it must accept what the official artefacts say is valid and refuse, with the right location,
 * what breaks the R4 JSON schema or an invariant. A judge that cannot fail is worthless.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { R4_DIR } from './fhir-definitions.js';
import { createJudge } from './fhir-judge.js';
import { ecmaPattern } from './fhir-schema.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const FIXTURES = new URL('../../../test/fixtures/fhir/', import.meta.url);
const fixture = (name: string): Json => JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as Json;
const resources = (file: string): Json[] =>
  (JSON.parse(readFileSync(join(R4_DIR, file), 'utf8')) as { entry: { resource: Json }[] }).entry.map(
    (e) => e.resource,
  );

const PRACTITIONER = fixture('ig-example_as-dp-practitioner.json');
const ROLE = fixture('ig-example_as-dp-practitionerrole.json');
const ORGANIZATION = fixture('ig-example_as-dp-organization-ej.json');

/** A copy of a resource, changed. */
const changed = (resource: Json, change: (r: Json) => void): Json => {
  const copy = structuredClone(resource);
  change(copy);
  return copy;
};

const capabilities = (extra: Json = {}): Json => ({
  resourceType: 'CapabilityStatement',
  status: 'active',
  date: '2026-11-25',
  kind: 'instance',
  implementation: { description: 'Annuaire' },
  fhirVersion: '4.0.1',
  format: ['json'],
  rest: [{ mode: 'server', resource: [{ type: 'Practitioner', interaction: [{ code: 'read' }] }] }],
  ...extra,
});

describe('FHIR judge', () => {
  const judge = createJudge();

  it('accepts the official Annuaire Santé examples', () => {
    for (const r of [PRACTITIONER, ROLE, ORGANIZATION]) {
      assert.deepEqual(judge.judge(r), [], `${r['resourceType']}/${r['id']}`);
    }
  });

  it('refuses the API v2 paging skeleton, whose versionId is a number', () => {
    // The ANS documentation writes `"versionId": 2`; R4 wants an id, a string (fixtures/fhir/README.md).
    const problems = judge.judge(fixture('v2_bundle_paging_skeleton.json'));
    assert.ok(
      problems.includes('Bundle.entry[0].resource.meta.versionId: 2 must be string (schema)'),
      problems.join('\n'),
    );
    const fixed = changed(fixture('v2_bundle_paging_skeleton.json'), (b) => {
      b['entry'][0].resource.meta.versionId = '2';
    });
    assert.deepEqual(judge.judge(fixed), []);
  });

  it('accepts official R4 CodeSystems, CapabilityStatements and OperationDefinitions', () => {
    const official = [
      // A hundred of FHIR's own code systems (all of them take a dozen seconds).
      ...resources('valuesets.json')
        .filter((r) => r['resourceType'] === 'CodeSystem')
        .slice(0, 100),
      ...resources('profiles-resources.json').filter((r) =>
        ['CapabilityStatement', 'OperationDefinition'].includes(r['resourceType'] as string),
      ),
    ];
    assert.ok(official.length > 140);
    const problems = official.flatMap((r) => judge.judge(r).map((p) => `${r['id']}: ${p}`));
    assert.deepEqual(problems, []);
  });

  it('accepts the resources the server will emit, when well formed', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      total: 1,
      link: [{ relation: 'self', url: 'https://annuaire.example/fhir/Practitioner?family=Saucier' }],
      entry: [
        {
          fullUrl: 'https://annuaire.example/fhir/Practitioner/334081DP',
          resource: PRACTITIONER,
          search: { mode: 'match' },
        },
      ],
    };
    const outcome = {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'not-found', diagnostics: 'Practitioner/x is not known' }],
    };
    for (const r of [bundle, outcome, capabilities()]) {
      assert.deepEqual(judge.judge(r), [], r.resourceType);
    }
  });

  const refused: readonly [string, Json, RegExp][] = [
    [
      'a field of the wrong type',
      changed(PRACTITIONER, (r) => (r['active'] = 'yes')),
      /^Practitioner\.active: "yes" must be boolean \(schema\)$/,
    ],
    [
      'one value where the element is a list',
      changed(PRACTITIONER, (r) => (r['name'] = r['name'][0])),
      /^Practitioner\.name: .* must be array \(schema\)$/,
    ],
    [
      'a list where the element takes one value',
      changed(ROLE, (r) => (r['practitioner'] = [r['practitioner']])),
      /^PractitionerRole\.practitioner: a list where the element takes one value$/,
    ],
    [
      'a string where a datatype is due',
      changed(PRACTITIONER, (r) => (r['name'] = ['Saucier'])),
      /^Practitioner\.name\[0\]: "Saucier" is not an object$/,
    ],
    [
      'an unknown property',
      changed(PRACTITIONER, (r) => (r['nom'] = 'Saucier')),
      /^Practitioner: unknown property "nom" \(schema\)$/,
    ],
    [
      'an unknown property inside a datatype',
      changed(PRACTITIONER, (r) => (r['identifier'][1].type.coding[0].label = 'RPPS')),
      /^Practitioner\.identifier\[1\]\.type\.coding\[0\]: unknown property "label" \(schema\)$/,
    ],
    [
      'an extension with both a value and extensions (ext-1)',
      changed(
        PRACTITIONER,
        (r) => (r['telecom'][0].extension[0].extension = [{ url: 'a', valueString: 'b' }]),
      ),
      /^Practitioner\.telecom\[0\]\.extension\[0\]: ext-1 failed/,
    ],
    [
      'an extension with neither (ext-1), deep in meta',
      changed(PRACTITIONER, (r) => {
        r['meta'].extension = [{ url: 'https://example.org/trace', extension: [{ url: 'empty' }] }];
      }),
      /^Practitioner\.meta\.extension\[0\]\.extension\[0\]: ext-1 failed/,
    ],
    [
      'an empty element (ele-1)',
      changed(PRACTITIONER, (r) => (r['qualification'][0].code.coding[1] = {})),
      /^Practitioner\.qualification\[0\]\.code\.coding\[1\]: ele-1 failed/,
    ],
    [
      'an empty primitive companion (ele-1)',
      changed(PRACTITIONER, (r) => (r['_birthDate'] = {})),
      /^Practitioner\.birthDate: ele-1 failed/,
    ],
    [
      'an empty string',
      changed(PRACTITIONER, (r) => (r['name'][0].family = '')),
      /^Practitioner\.name\[0\]\.family: "" does not match/,
    ],
    [
      'a control character in a string',
      changed(PRACTITIONER, (r) => (r['name'][0].family = 'Sau\u0007cier')),
      /^Practitioner\.name\[0\]\.family: .* does not match/,
    ],
    [
      'an empty list',
      changed(ORGANIZATION, (r) => (r['telecom'] = [])),
      /^Organization\.telecom: an empty list \(FHIR JSON never has one\)$/,
    ],
    [
      'a period that ends before it starts (per-1), in an extension',
      changed(ORGANIZATION, (r) => (r['extension'][0].valuePeriod.end = '2001-01-01')),
      /^Organization\.extension\[0\]\.valuePeriod: per-1 failed/,
    ],
    [
      'a reference to a contained resource that is not there (ref-1)',
      changed(ROLE, (r) => (r['organization'] = { reference: '#site' })),
      /^PractitionerRole\.organization: ref-1 failed/,
    ],
    [
      'a contained resource with contained resources (dom-2)',
      changed(ROLE, (r) => {
        r['contained'] = [{ ...ORGANIZATION, id: 'site', contained: [{ ...ORGANIZATION, id: 'ej' }] }];
        r['organization'] = { reference: '#site' };
      }),
      /^PractitionerRole: dom-2 failed/,
    ],
    [
      'a contained resource nobody refers to (dom-3)',
      changed(ROLE, (r) => (r['contained'] = [{ ...ORGANIZATION, id: 'site' }])),
      /^PractitionerRole: dom-3 failed/,
    ],
    [
      'an unknown resource type',
      { resourceType: 'Praticien', id: '1' },
      /^Praticien: "Praticien" is not an R4 resource type$/,
    ],
    [
      'a Bundle of a type R4 does not have',
      { resourceType: 'Bundle', type: 'searching' },
      /^Bundle\.type: "searching" is not one of document, message, .*searchset, collection \(schema\)$/,
    ],
    [
      'a total on a Bundle that is not a search or a history (bdl-1)',
      { resourceType: 'Bundle', type: 'collection', total: 3 },
      /^Bundle: bdl-1 failed/,
    ],
    [
      'a request in a searchset entry (bdl-3)',
      {
        resourceType: 'Bundle',
        type: 'searchset',
        entry: [{ resource: PRACTITIONER, request: { method: 'GET', url: 'Practitioner/334081DP' } }],
      },
      /^Bundle: bdl-3 failed/,
    ],
    [
      'an invalid resource inside a Bundle',
      {
        resourceType: 'Bundle',
        type: 'searchset',
        entry: [{ resource: changed(PRACTITIONER, (r) => (r['active'] = 1)) }],
      },
      /^Bundle\.entry\[0\]\.resource\.active: 1 must be boolean \(schema\)$/,
    ],
    [
      'an OperationOutcome with an unknown issue code',
      { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'oops' }] },
      /^OperationOutcome\.issue\[0\]\.code: "oops" is not one of/,
    ],
    [
      'a CapabilityStatement with no rest, messaging or document (cpb-1)',
      capabilities({ rest: undefined }),
      /^CapabilityStatement: cpb-1 failed/,
    ],
    [
      'a CodeSystem with a code twice (csd-1)',
      {
        resourceType: 'CodeSystem',
        url: 'https://mos.esante.gouv.fr/NOS/TRE_X/FHIR/TRE-X',
        status: 'active',
        content: 'complete',
        concept: [
          { code: '1', display: 'Un' },
          { code: '1', display: 'One' },
        ],
      },
      /^CodeSystem: csd-1 failed/,
    ],
  ];

  for (const [what, resource, expected] of refused) {
    it(`refuses ${what}`, () => {
      const problems = judge.judge(JSON.parse(JSON.stringify(resource)) as object);
      assert.ok(
        problems.some((p) => expected.test(p)),
        `expected ${String(expected)} among:\n${problems.join('\n')}`,
      );
    });
  }

  it('reads the schema patterns with their XML Schema meaning', () => {
    const string = new RegExp(ecmaPattern('^[ \\r\\n\\t\\S]+$'), 'u');
    assert.ok(string.test('Centre\u00a0hospitalier'), 'a no-break space is a character like any other');
    assert.ok(!string.test('') && !string.test('a\u0000b'));
    const uri = new RegExp(ecmaPattern('^\\S*$'), 'u');
    assert.ok(uri.test('urn:x\u00a0y') && !uri.test('urn:x y'));
    assert.deepEqual(judge.judge(changed(PRACTITIONER, (r) => (r['name'][0].family = 'Le\u00a0Gall'))), []);
  });

  it('leaves the resource it judges as it was', () => {
    const copy = structuredClone(PRACTITIONER);
    judge.judge(copy);
    assert.deepEqual(copy, PRACTITIONER);
  });
});
