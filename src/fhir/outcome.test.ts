import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AnnuaireError, invalid } from '../error.js';
import { toOperationOutcome } from './outcome.js';

describe('toOperationOutcome', () => {
  it('keeps the status, issue code, message and where of an AnnuaireError', () => {
    const o = toOperationOutcome(invalid('family: bad value', 'family'));
    assert.equal(o.status, 400);
    assert.deepEqual(JSON.parse(o.json), {
      resourceType: 'OperationOutcome',
      issue: [
        { severity: 'error', code: 'invalid', diagnostics: 'family: bad value', expression: ['family'] },
      ],
    });
    for (const [status, code] of [
      [404, 'not-found'],
      [410, 'deleted'],
      [422, 'processing'],
      [429, 'throttled'],
    ] as const) {
      assert.equal(toOperationOutcome(new AnnuaireError(status, code, 'x')).status, status);
    }
  });

  it('answers any other error as 500 without its message or stack', () => {
    const secret = new Error('connection string postgres://user:password@db/annuaire');
    const o = toOperationOutcome(secret);
    assert.equal(o.status, 500);
    assert.doesNotMatch(o.json, /password|at .*\.js|Error:/);
    assert.equal((JSON.parse(o.json) as { issue: { code: string }[] }).issue[0]!.code, 'exception');
  });
});
