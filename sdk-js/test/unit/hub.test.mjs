import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Hub } from '../../src/hub.mjs';
import { fakeTimers } from './fake-timers.mjs';

// A hub with a connection that only records when it was (re)opened and for what.
function makeHub(t) {
  const clock = fakeTimers(t);
  const opened = [];
  const sent = [];
  let sink;
  const hub = new Hub((target, s) => {
    sink = s;
    return { restart: () => opened.push(target()), stop() {} };
  }, (msg) => sent.push(msg));
  const flush = () => clock.tick(0);
  return { hub, opened, sent, flush, sink: () => sink };
}

test('one connection for the union of all members, from the lowest cursor asked', (t) => {
  const { hub, opened, flush } = makeHub(t);
  hub.set('tab1', { a: null, b: '20' }, ['b']);
  hub.set('tab2', { b: '10', c: null }, ['b']);
  flush();
  assert.deepEqual(opened, [{ a: null, b: '10', c: null }]);
});

test('the same list again (execute() from a callback) opens nothing new', (t) => {
  const { hub, opened, flush } = makeHub(t);
  hub.set('me', { a: null });
  flush();
  hub.set('me', { a: null });
  flush();
  assert.equal(opened.length, 1);
});

test('reconnects resume from the last delivered cursors', (t) => {
  const { hub, opened, sent, flush, sink } = makeHub(t);
  hub.set('me', { a: null, b: '3' }, ['b']);
  flush();
  sink().parts([{ ids: { a: '40', b: '41' }, data: 1 }]);
  sink().parts([{ ids: { b: '42' }, data: 2 }]);
  assert.deepEqual(sent.map((m) => m.parts[0].data), [1, 2]);
  assert.deepEqual(hub.target(), { a: '40', b: '42' });
  // A new id changes the list: one reconnect, old ids keep their positions.
  hub.set('me', { a: '40', b: '42', c: null });
  flush();
  assert.deepEqual(opened[1], { a: '40', b: '42', c: null });
});

test('a lagging position report is ignored, an explicit earlier cursor replays', (t) => {
  const { hub, opened, flush, sink } = makeHub(t);
  hub.set('tab1', { a: '1' }, ['a']);
  flush();
  sink().parts([{ ids: { a: '9' }, data: 'x' }]);
  hub.set('tab2', { a: '5' }); // had not seen the relay of 9 yet
  flush();
  assert.equal(opened.length, 1);
  hub.set('tab2', { a: '0' }, ['a']); // setCursor('a', 0)
  flush();
  assert.deepEqual(opened[1], { a: '0' });
});

test('stream cursors give "from now" ids a position, passed on to members', (t) => {
  const { hub, sent, flush, sink } = makeHub(t);
  hub.set('tab1', { a: null, b: '7' }, ['b']);
  flush();
  sink().cursors({ a: '1795310370.48286000100000', b: '7', zz: '1' });
  assert.deepEqual(sent, [{ cursors: { a: '1795310370.48286000100000' } }]);
  assert.deepEqual(hub.target(), { a: '1795310370.48286000100000', b: '7' });
  // A tab joining "from now" learns where the connection is.
  hub.set('tab2', { a: null });
  assert.deepEqual(sent[1], { cursors: { a: '1795310370.48286000100000' } });
});

test('a member leaving shrinks the list; members gone silent are pruned', (t) => {
  const { hub, opened, flush } = makeHub(t);
  hub.set('tab1', { a: null }, [], 1000);
  hub.set('tab2', { b: null }, [], 5000);
  hub.set('me', { c: null }, [], 0);
  flush();
  hub.drop('tab2');
  flush();
  assert.deepEqual(opened[1], { a: null, c: null });
  hub.prune(2000, 'me');
  flush();
  assert.deepEqual(opened[2], { c: null });
});
