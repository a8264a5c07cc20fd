import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareCursors, maxCursor, minCursor } from '../../src/cursor.mjs';

test('cursors compare as exact decimals', () => {
  // One microsecond apart: equal as doubles, different as cursors.
  assert.equal(compareCursors('1795310370.48286000100000', '1795310370.48286000100001'), -1);
  assert.equal(1795310370.482860001 === 1795310370.482860002, true);
  assert.equal(compareCursors('0010.50', '10.5'), 0);
  assert.equal(compareCursors('100', '100.0'), 0);
  assert.equal(compareCursors('9', '10'), -1);
  assert.equal(compareCursors('10.45', '10.5'), -1);
  assert.equal(compareCursors('10.5', '10.45'), 1);
  assert.equal(compareCursors('0', '0.0001'), -1);
  assert.equal(compareCursors(0, '0'), 0);
});

test('max and min treat null as unknown', () => {
  assert.equal(maxCursor(null, '5'), '5');
  assert.equal(maxCursor('5', null), '5');
  assert.equal(maxCursor('5', '40'), '40');
  assert.equal(minCursor(undefined, null), null);
  assert.equal(minCursor('5', '40'), '5');
  assert.equal(minCursor(null, '40'), '40');
});
