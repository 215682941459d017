import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StoredVersion } from '../store/store.js';
import { mayHoldRestricted, perimeterOf, publicFields } from './perimeter.js';
import { PUBLIC_ACCESS } from './access.js';

const AS = 'https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition/';

/** A practitioner as the importer writes it: public data only. */
const imported = JSON.stringify({
  resourceType: 'Practitioner',
  id: '810000000008',
  meta: { versionId: '1', lastUpdated: '2026-11-22T08:00:00.000Z', profile: [`${AS}as-dp-practitioner`] },
  extension: [
    {
      url: `${AS}as-ext-smartcard`,
      extension: [
        { url: 'number', valueString: '1234' },
        { url: 'period', valuePeriod: { start: '2024-01-01', end: '2027-01-01' } },
      ],
    },
  ],
  identifier: [{ use: 'official', system: 'urn:oid:1.2.250.1.71.4.2.1', value: '810000000008' }],
  active: true,
  name: [{ use: 'usual', family: 'DUPONT', given: ['JEAN'] }],
  telecom: [
    {
      extension: [
        { url: 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-contact-point-email-type' },
        {
          url: `${AS}as-ext-mailbox-mss-metadata`,
          extension: [
            { url: 'type', valueCodeableConcept: { coding: [{ code: 'PER' }] } },
            { url: 'digitization', valueBoolean: true },
          ],
        },
      ],
      system: 'email',
      value: 'jean.dupont@test.mssante.fr',
    },
  ],
});

describe('perimeter', () => {
  it('serves public resources untouched, without parsing them (the same string)', () => {
    assert.equal(mayHoldRestricted('Practitioner', imported), false);
    assert.equal(publicFields('Practitioner', imported), imported);
    const organization =
      '{"resourceType":"Organization","id":"F1","telecom":[{"system":"phone","value":"01"}],"address":[{"city":"PARIS"}]}';
    assert.equal(publicFields('Organization', organization), organization);
  });

  it('cuts a card opposition date and a mailbox on the red list', () => {
    const r = JSON.parse(imported) as { extension: { extension: object[] }[]; telecom: object[] };
    r.extension[0]!.extension.push({ url: 'oppositionDate', valueDate: '2025-01-01' });
    r.telecom.push({
      system: 'email',
      value: 'red@x.mssante.fr',
      extension: [
        { url: `${AS}as-ext-mailbox-mss-metadata`, extension: [{ url: 'listeRouge', valueBoolean: true }] },
      ],
    });
    r.telecom.push({ system: 'phone', value: '0600000000' });
    const text = JSON.stringify(r);
    assert.equal(mayHoldRestricted('Practitioner', text), true);
    assert.equal(publicFields('Practitioner', text), imported);
  });

  it('follows the flag a version was stored with, testing the text only when it has none', () => {
    const r = JSON.parse(imported) as { birthDate?: string };
    r.birthDate = '1970-01-01';
    const text = JSON.stringify(r);
    const version = (flagged?: boolean): StoredVersion => ({
      resourceType: 'Practitioner',
      id: '810000000008',
      versionId: 1,
      lastUpdated: '2026-11-22T08:00:00.000Z',
      release: 1,
      seq: 1,
      active: true,
      deleted: false,
      json: text,
      ...(flagged === undefined ? {} : { flagged }),
    });
    const view = perimeterOf(PUBLIC_ACCESS);
    assert.equal(view(version(true)).json, imported);
    assert.equal(view(version(undefined)).json, imported);
    // Unflagged: public as stored, no text test (the store's classifier is this module's mayHoldRestricted).
    assert.equal(view(version(false)).json, text);
  });

  it('serves a deactivated resource as a tombstone without the historized scope', () => {
    const v: StoredVersion = {
      resourceType: 'Practitioner',
      id: '810000000008',
      versionId: 2,
      lastUpdated: '2026-11-22T08:00:00.000Z',
      release: 2,
      seq: 2,
      active: false,
      deleted: false,
      json: imported.replace('"active":true', '"active":false'),
    };
    const seen = JSON.parse(perimeterOf(PUBLIC_ACCESS)(v).json) as Record<string, unknown>;
    assert.deepEqual(Object.keys(seen), ['resourceType', 'id', 'meta', 'identifier', 'active']);
    const all = perimeterOf({ scopes: new Set(['public', 'restricted', 'historized']) });
    assert.equal(all(v), v);
  });
});
