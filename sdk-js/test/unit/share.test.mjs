// Leader election between "tabs" without Web Locks (node has BroadcastChannel but no
// navigator.locks): several SharedLinks on one channel, as tabs of one site.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { Hub } from '../../src/hub.mjs';
import { SharedLink } from '../../src/share.mjs';

const links = [];
after(() => links.forEach((l) => l.leave()));

async function until(check, what, timeout = 10000) {
  const end = Date.now() + timeout;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting for ' + what);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// A tab listening to `ids`; its hub (while it leads) records what the connection would open.
function tab(url, ids) {
  const t = { got: [], opened: [] };
  const member = {
    listening: () => ({ ids, asked: [] }),
    parts: (parts) => t.got.push(...parts.map((p) => p.data)),
    cursors() {},
  };
  const makeHub = (broadcast, settle) =>
    (t.hub = new Hub((target, sink) => {
      t.sink = sink;
      return { restart: () => t.opened.push(target()), stop() {} };
    }, broadcast, settle));
  t.link = new SharedLink(url, makeHub, member);
  links.push(t.link);
  return t;
}

const leaders = (tabs) => tabs.filter((t) => t.link.hub);
const sorted = (o) => JSON.stringify(Object.keys(o || {}).sort().map((k) => [k, o[k]]));
const listens = (t, ids) => sorted(t.opened.at(-1)) === sorted(ids);

test('tabs starting together elect one leader, which listens for all and relays to all', async () => {
  const url = 'http://rpl.test/together';
  const tabs = [tab(url, { a: null }), tab(url, { b: '5' }), tab(url, { a: null, c: null })];
  tabs.forEach((t) => t.link.update());
  await until(() => leaders(tabs).length === 1 && tabs.every((t) => t.link.leader === leaders(tabs)[0].link.me), 'one leader known to all');
  const leader = leaders(tabs)[0];
  await until(() => listens(leader, { a: null, b: '5', c: null }), 'the union listened to');
  leader.sink.parts([{ ids: { a: '7' }, data: 'hello' }]);
  await until(() => tabs.every((t) => t.got.length === 1), 'every tab got the message');
  assert.equal(leader.link.me, tabs.map((t) => t.link.me).sort()[0], 'the lowest id won the tie');
});

test('when the leader leaves, another tab takes over and listens for the rest', async () => {
  const url = 'http://rpl.test/handover';
  const first = tab(url, { a: null });
  first.link.update();
  await until(() => first.link.hub, 'the first tab to lead');
  const second = tab(url, { b: null });
  second.link.update();
  await until(() => second.link.leader === first.link.me, 'the second tab to follow');
  first.link.leave();
  await until(() => second.link.hub, 'the second tab to lead');
  await until(() => listens(second, { b: null }), 'its own ids listened to');
});
