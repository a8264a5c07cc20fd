import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Connection } from '../../src/connection.mjs';
import { fakeTimers } from './fake-timers.mjs';

// Transports that do what the test tells them, recording every attempt.
function scripted(t) {
  const clock = fakeTimers(t, { date: true });
  const attempts = [];
  const make = (kind) => (url, ids, on) => {
    const a = { kind, ids, on, stopped: false };
    attempts.push(a);
    return () => (a.stopped = true);
  };
  const transports = { websocket: make('websocket'), eventsource: make('eventsource'), longpoll: make('longpoll') };
  let cursor = null;
  const got = [];
  const conn = new Connection('http://rpl.test/', ['websocket', 'eventsource', 'longpoll'], () => ({ a: cursor }), {
    parts: (p) => {
      got.push(p);
      cursor = p[0].ids.a;
    },
    cursors() {},
  }, transports);
  const last = () => attempts[attempts.length - 1];
  return { conn, attempts, last, got, tick: (ms) => clock.tick(ms) };
}

test('a server that refuses streams falls through to long-poll at once and stays there', (t) => {
  const { conn, attempts, last, got, tick } = scripted(t);
  conn.restart();
  last().on.end(); // WebSocket handshake refused
  last().on.end(); // EventSource: wrong content type
  assert.deepEqual(attempts.map((a) => a.kind), ['websocket', 'eventsource', 'longpoll']);
  last().on.open();
  last().on.parts([{ ids: { a: '5' }, data: 1 }]);
  last().on.end();
  tick(0);
  assert.equal(got.length, 1);
  assert.deepEqual(last(), { ...last(), kind: 'longpoll', ids: { a: '5' } });
  assert.equal(attempts.length, 4);
});

test('with the server down the ladder starts over, backing off', (t) => {
  const { conn, attempts, last, tick } = scripted(t);
  conn.restart();
  for (let i = 0; i < 3; i++) last().on.end();
  assert.equal(attempts.length, 3);
  tick(99);
  assert.equal(attempts.length, 3, 'not before the first back-off step');
  tick(101);
  assert.equal(last().kind, 'websocket');
  for (let i = 0; i < 3; i++) last().on.end();
  tick(249);
  assert.equal(attempts.length, 6);
  tick(251);
  assert.equal(attempts.length, 7);
});

test('a proven transport is retried (server restart), demoted only after many failures', (t) => {
  const { conn, attempts, last, tick } = scripted(t);
  conn.restart();
  last().on.open();
  tick(60000); // a long healthy stream
  last().on.end();
  tick(0); // healthy end: reconnect at once
  assert.equal(attempts.length, 2);
  for (let i = 0; i < 6; i++) {
    last().on.end(); // refused while the server restarts
    tick(30000);
  }
  assert.deepEqual(attempts.map((a) => a.kind).slice(0, 7), Array(7).fill('websocket'));
  last().on.end(); // no longer proven: the next transport at once
  assert.equal(last().kind, 'eventsource');
});

test('restart() replaces a running attempt but does not cut a back-off wait short', (t) => {
  const { conn, attempts, last, tick } = scripted(t);
  conn.restart();
  const first = last();
  last().on.open();
  conn.restart();
  assert.equal(first.stopped, true);
  assert.equal(attempts.length, 2);
  last().on.end(); // opened before, quick failure: back off
  conn.restart();
  assert.equal(attempts.length, 2);
  tick(200);
  assert.equal(attempts.length, 3);
});
