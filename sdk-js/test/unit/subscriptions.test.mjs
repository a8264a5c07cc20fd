import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Subscriptions } from '../../src/subscriptions.mjs';

function recorder(subs, id) {
  const calls = [];
  const cb = (data, gotId, cursor) => calls.push([data, gotId, cursor]);
  subs.subscribe(id, cb);
  return { calls, cb };
}

test('callbacks get (data, id without namespace, cursor) once per id', () => {
  const subs = new Subscriptions();
  subs.prefix = 'demo_';
  const a = recorder(subs, 'a');
  const b = recorder(subs, 'b');
  subs.dispatch([
    { ids: { demo_a: '10', demo_b: '11' }, data: { n: 1 } },
    { ids: { demo_a: '12', other_a: '99' }, data: 'two' },
  ]);
  assert.deepEqual(a.calls, [[{ n: 1 }, 'a', '10'], ['two', 'a', '12']]);
  assert.deepEqual(b.calls, [[{ n: 1 }, 'b', '11']]);
});

test('what is not newer than an id\'s cursor is not handed over again', () => {
  const subs = new Subscriptions();
  const a = recorder(subs, 'a');
  const b = recorder(subs, 'b');
  subs.dispatch([{ ids: { a: '1795310370.48286000100000' }, data: 1 }]);
  subs.dispatch([
    { ids: { a: '1795310370.48286000100000' }, data: 1 }, // replay after a reconnect
    { ids: { a: '1795310370.48286000100001', b: '5' }, data: 2 },
  ]);
  subs.dispatch([{ ids: { a: '1795310370.48286000100001', b: '5' }, data: 2 }]); // relayed twice
  assert.deepEqual(a.calls.map((c) => c[0]), [1, 2]);
  assert.deepEqual(b.calls.map((c) => c[0]), [2]);
});

test('the list holds ids with callbacks, their cursors as strings, and which were set', () => {
  const subs = new Subscriptions();
  subs.prefix = 'u_ns_';
  const a = recorder(subs, 'a');
  recorder(subs, 'b');
  subs.setCursor('b', 0);
  subs.setCursor('c', 5); // no callback: not listened to
  assert.deepEqual(subs.listening(), { ids: { u_ns_a: null, u_ns_b: '0' }, asked: ['u_ns_b'] });
  assert.deepEqual(subs.listening().asked, [], 'asked only once');
  subs.unsubscribe('a', a.cb);
  assert.deepEqual(subs.listening().ids, { u_ns_b: '0' });
});

test('cursors learned from a stream fill only ids listened "from now"', () => {
  const subs = new Subscriptions();
  recorder(subs, 'a');
  recorder(subs, 'b');
  subs.setCursor('b', '7');
  subs.fill({ a: '100', b: '100', zzz: '1' });
  assert.deepEqual(subs.listening().ids, { a: '100', b: '7' });
  subs.dispatch([{ ids: { a: '100' }, data: 'old' }]);
  assert.equal(subs.listening().ids.a, '100');
});

test('unsubscribe works at once, also from inside a callback; a throwing callback stops no other', () => {
  const subs = new Subscriptions();
  const calls = [];
  const second = () => calls.push('second');
  const first = () => {
    calls.push('first');
    subs.unsubscribe('a', second);
    throw new Error('boom');
  };
  const third = () => calls.push('third');
  subs.subscribe('a', first);
  subs.subscribe('a', second);
  subs.subscribe('a', first); // the same callback twice counts once
  subs.subscribe('a', third);
  const errors = [];
  const orig = console.error;
  console.error = (e) => errors.push(e.message);
  try {
    subs.dispatch([{ ids: { a: '1' }, data: null }]);
  } finally {
    console.error = orig;
  }
  assert.deepEqual(calls, ['first', 'third']);
  assert.deepEqual(errors, ['boom']);
  subs.unsubscribe('a', null);
  subs.dispatch([{ ids: { a: '2' }, data: null }]);
  assert.deepEqual(calls, ['first', 'third']);
});
