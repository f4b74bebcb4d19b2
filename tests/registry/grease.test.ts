import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { GREASE_VALUES, GREASE_PSK_MODES, isGrease } from '../../src/registry/grease.js';
import { suiteByCode } from '../../src/registry/ciphers.js';
import { groupByCode } from '../../src/registry/groups.js';
import { sigSchemeByCode } from '../../src/registry/sigschemes.js';

test('grease: the 16 values of RFC 8701', () => {
  assert.equal(GREASE_VALUES.length, 16);
  assert.equal(GREASE_VALUES[0], 0x0a0a);
  assert.equal(GREASE_VALUES[1], 0x1a1a);
  assert.equal(GREASE_VALUES[15], 0xfafa);
  for (const v of GREASE_VALUES) {
    assert.ok(isGrease(v));
    assert.equal(suiteByCode(v), undefined, 'no suite is GREASE');
    assert.equal(groupByCode(v), undefined, 'no group is GREASE');
    assert.equal(sigSchemeByCode(v), undefined, 'no signature scheme is GREASE');
  }
  assert.deepEqual(GREASE_PSK_MODES.map((v) => (v - 0x0b) % 0x1f), [0, 0, 0, 0, 0, 0, 0, 0]);
});

test('grease: isGrease matches exactly the listed values (property)', () => {
  const set = new Set(GREASE_VALUES);
  fc.assert(fc.property(fc.integer({ min: -5, max: 0x1ffff }), (n) => isGrease(n) === set.has(n)));
  assert.equal(isGrease(0x0a1a), false);
  assert.equal(isGrease(0x0a0b), false);
  assert.equal(isGrease(1.5), false);
});
