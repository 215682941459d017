import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IndexEntry } from '../../store/store.js';
import { compilePath, createIndexer, select } from './indexer.js';
import { SEARCH_PARAMETERS } from './search-parameters.js';

const indexer = createIndexer(SEARCH_PARAMETERS);
const AS = 'https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition/';
const G15 = 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante';
const byCode = (entries: IndexEntry[], code: string): IndexEntry[] => entries.filter((e) => e.code === code);

describe('indexer', () => {
  const practitioner = {
    resourceType: 'Practitioner',
    id: '810003461033',
    extension: [
      {
        url: `${AS}as-ext-smartcard`,
        extension: [
          { url: 'type', valueCodeableConcept: { coding: [{ system: 'https://x/R87', code: 'CPS' }] } },
          { url: 'number', valueString: '2100123456' },
        ],
      },
    ],
    identifier: [
      {
        type: {
          coding: [{ system: 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203', code: 'RPPS' }],
        },
        system: 'https://rpps.esante.gouv.fr',
        value: '10003461033',
      },
    ],
    active: true,
    name: [{ family: 'LEFÈVRE', given: ['HÉLÈNE', ''], prefix: ['DR'] }],
    telecom: [{ system: 'email', value: 'h.lefevre@medecin.mssante.fr' }],
    qualification: [{ code: { coding: [{ system: G15, code: '10' }] } }],
  };
  const entries = indexer.index(practitioner);

  it('indexes identifiers with their system and type', () => {
    assert.deepEqual(byCode(entries, 'identifier'), [
      {
        kind: 'token',
        code: 'identifier',
        system: 'https://rpps.esante.gouv.fr',
        value: '10003461033',
        type: 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203|RPPS',
      },
    ]);
    assert.deepEqual(byCode(entries, 'identifier-type'), [
      {
        kind: 'token',
        code: 'identifier-type',
        system: 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203',
        value: 'RPPS',
      },
    ]);
    assert.deepEqual(byCode(entries, 'active'), [], 'served by the version tables');
  });

  it('indexes names folded, with the original text, and skips empty values', () => {
    assert.deepEqual(byCode(entries, 'family'), [
      { kind: 'string', code: 'family', norm: 'lefevre', exact: 'LEFÈVRE' },
    ]);
    assert.deepEqual(byCode(entries, 'given'), [
      { kind: 'string', code: 'given', norm: 'helene', exact: 'HÉLÈNE' },
    ]);
    assert.deepEqual(byCode(entries, 'name'), [{ kind: 'string', code: 'name', norm: 'dr', exact: 'DR' }]);
  });

  it('follows extensions by URL and codings of CodeableConcepts', () => {
    assert.deepEqual(
      byCode(entries, 'number-smartcard').map((e) => (e.kind === 'string' ? e.exact : '')),
      ['2100123456'],
    );
    assert.deepEqual(byCode(entries, 'type-smartcard'), [
      { kind: 'token', code: 'type-smartcard', system: 'https://x/R87', value: 'CPS' },
    ]);
    assert.deepEqual(byCode(entries, 'qualification-code'), [
      { kind: 'token', code: 'qualification-code', system: G15, value: '10' },
    ]);
    assert.equal(byCode(entries, 'mailbox-mss').length, 1);
  });

  it('indexes references and ignores resources it has no parameters for', () => {
    const role = {
      resourceType: 'PractitionerRole',
      id: 'r1',
      practitioner: { reference: 'Practitioner/810003461033' },
      organization: { reference: 'not a reference' },
    };
    assert.deepEqual(indexer.index(role), [
      { kind: 'reference', code: 'practitioner', target: 'Practitioner/810003461033' },
    ]);
    assert.deepEqual(indexer.index({ resourceType: 'Patient', id: 'p' }), []);
  });

  it('selects paths through arrays and extension URLs containing dots', () => {
    assert.deepEqual(select(practitioner, compilePath('name.given')), ['HÉLÈNE', '']);
    assert.deepEqual(
      select(practitioner, compilePath(`extension(${AS}as-ext-smartcard).extension(number).valueString`)),
      ['2100123456'],
    );
    assert.deepEqual(select(practitioner, compilePath('missing.path')), []);
  });
});

describe('mailbox-mss', () => {
  const metadata = (redList: boolean): unknown => ({
    url: 'https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition/as-ext-mailbox-mss-metadata',
    extension: [{ url: 'listeRouge', valueBoolean: redList }],
  });
  it('indexes public MSSanté mailboxes only: not phones, other e-mails or the red list', () => {
    const entries = indexer.index({
      resourceType: 'Practitioner',
      id: '810003461033',
      telecom: [
        { system: 'email', value: 'public@medecin.mssante.fr', extension: [metadata(false)] },
        { system: 'email', value: 'secret@medecin.mssante.fr', extension: [metadata(true)] },
        { system: 'email', value: 'bare@ch-x.mssante.fr' },
        { system: 'email', value: 'jean@gmail.com' },
        { system: 'phone', value: '0102030405' },
      ],
    });
    assert.deepEqual(
      entries.filter((e) => e.code === 'mailbox-mss').map((e) => (e.kind === 'string' ? e.exact : '')),
      ['public@medecin.mssante.fr', 'bare@ch-x.mssante.fr'],
    );
  });
});
