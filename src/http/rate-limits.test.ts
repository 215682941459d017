import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WindowCounter } from './rate-limits.js';

describe('WindowCounter', () => {
  it('counts each key over a window opened by its first request, and forgets ended windows', () => {
    let now = 1_000;
    const counter = new WindowCounter(1000, () => now);
    assert.deepEqual(counter.hit('ip:a'), { count: 1, resetInMs: 1000 });
    now = 1_400;
    assert.deepEqual(counter.hit('ip:a'), { count: 2, resetInMs: 600 });
    // Another key has its own window.
    assert.deepEqual(counter.hit('key:k'), { count: 1, resetInMs: 1000 });
    now = 2_000;
    // a's window ended: a new one opens; k's runs on.
    assert.deepEqual(counter.hit('ip:a'), { count: 1, resetInMs: 1000 });
    assert.deepEqual(counter.hit('key:k'), { count: 2, resetInMs: 400 });
    now = 2_400;
    assert.deepEqual(counter.hit('key:k'), { count: 1, resetInMs: 1000 });
  });
});
