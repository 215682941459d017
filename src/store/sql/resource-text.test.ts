import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Resource } from '../store.js';
import { resourceContent, storedText } from './resource-text.js';

const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.integer(),
    fc.boolean(),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), tie('value'), { maxKeys: 3 }),
  ),
})).value;

const resourceArb = fc
  .record({
    id: fc.stringMatching(/^[A-Za-z0-9.-]{1,12}$/),
    meta: fc.option(fc.dictionary(fc.constantFrom('profile', 'source', 'tag'), json, { maxKeys: 2 }), {
      nil: undefined,
    }),
    body: fc.dictionary(fc.stringMatching(/^[a-z][a-zA-Z]{0,8}$/), json, { maxKeys: 5 }),
  })
  .map(({ id, meta, body }) => {
    const { resourceType: _r, id: _i, meta: _m, ...rest } = body;
    return { resourceType: 'Practitioner', id, ...(meta ? { meta } : {}), ...rest };
  });

describe('stored resource text', () => {
  it('is the resource with meta.versionId and meta.lastUpdated added', () => {
    fc.assert(
      fc.property(resourceArb, fc.integer({ min: 1, max: 1e6 }), (resource, version) => {
        const content = resourceContent(resource);
        const text = storedText(content.canonical, content.splice, version, '2026-11-22T08:00:00.000Z');
        const parsed = JSON.parse(text) as Resource;
        const { meta, ...rest } = parsed;
        const { meta: inputMeta, ...inputRest } = resource;
        assert.deepEqual(rest, JSON.parse(JSON.stringify(inputRest)));
        assert.deepEqual(meta, {
          versionId: String(version),
          lastUpdated: '2026-11-22T08:00:00.000Z',
          ...JSON.parse(JSON.stringify(inputMeta ?? {})),
        });
        assert.deepEqual(Object.keys(parsed).slice(0, 3), ['resourceType', 'id', 'meta']);
      }),
      { numRuns: 500 },
    );
  });

  it('hashes content only: given version fields and the place of resourceType, id and meta do not change it', () => {
    const a = { resourceType: 'Organization', id: 'F1', meta: { source: 's' }, name: 'CH', active: true };
    const b = {
      name: 'CH',
      id: 'F1',
      active: true,
      resourceType: 'Organization',
      meta: { lastUpdated: 'x', source: 's', versionId: '7' },
    };
    assert.equal(resourceContent(a).hash, resourceContent(b).hash);
    assert.notEqual(resourceContent(a).hash, resourceContent({ ...a, name: 'CHU' }).hash);
    assert.equal(resourceContent({ ...a, active: false }).active, false);
    assert.equal(resourceContent({ resourceType: 'Device', id: 'd', status: 'inactive' }).active, false);
    const empty = resourceContent({ resourceType: 'Organization', id: 'F1', meta: {} });
    assert.equal(
      storedText(empty.canonical, empty.splice, 1, 't'),
      '{"resourceType":"Organization","id":"F1","meta":{"versionId":"1","lastUpdated":"t"}}',
    );
    assert.equal(storedText('', 0, 1, 't'), '');
  });
});
