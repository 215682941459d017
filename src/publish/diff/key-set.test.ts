import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeySet } from './key-set.js';

describe('KeySet', () => {
  it('holds 52-bit hashes through growth, and only those added', () => {
    const set = new KeySet();
    const added = new Set<number>();
    let x = 12345;
    for (let i = 0; i < 200_000; i++) {
      // A spread of values up to 2^52, some sharing their low 32 bits (the slot they start from).
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      const h = (x % 0x100000) * 0x100000000 + (i % 3 === 0 ? 7 : x);
      set.add(h);
      added.add(h);
    }
    assert.equal(set.size, added.size);
    for (const h of added) {
      assert.ok(set.has(h), `${h} was added`);
    }
    assert.equal(set.has(0), added.has(0));
    let absent = 0;
    for (let h = 1; h < 100_000; h += 7) {
      if (!added.has(h)) {
        absent++;
        assert.equal(set.has(h), false);
      }
    }
    assert.ok(absent > 10_000);
  });
});
