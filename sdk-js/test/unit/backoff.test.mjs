import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelay } from '../../src/backoff.mjs';

const low = () => 0;
const high = () => 0.999999;

test('no failure, no wait; the first retry is quick', () => {
  assert.equal(backoffDelay(0), 0);
  assert.equal(backoffDelay(1, low), 100);
  assert.equal(backoffDelay(1, high), 200);
});

test('waits double up to 30 s', () => {
  const steps = [2, 3, 4, 5, 6, 7, 8, 9, 20].map((n) => backoffDelay(n, high));
  assert.deepEqual(steps, [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  assert.equal(backoffDelay(50, low), 15000);
});

test('jitter spreads clients that failed together', () => {
  const seen = new Set();
  for (let i = 0; i < 50; i++) seen.add(backoffDelay(6));
  assert.ok(seen.size > 10, 'delays vary: ' + [...seen]);
  for (const d of seen) assert.ok(d >= 4000 && d <= 8000, String(d));
});
