// sdk-js in headless Chromium against the real server: each transport forced, server
// restarts and network drops, the API's corners, tabs sharing one connection, and pages
// written for the original client. The page is served from page.test, the server is
// rpl.test: every request is cross-origin and relies on the server's CORS.
//
// RPL_TRANSPORTS=longpoll,eventsource,websocket (the default) picks the transports whose
// tests run; RPL_TRANSPORTS=none runs only the others.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { ServerProcess, freePort, launchBrowser, listening, online, pageServer, publish, tcpProxy, until, watchNetwork } from './harness.mjs';

const NETWORK = { longpoll: /^fetch (GET|POST)$/, eventsource: /^eventsource$/, websocket: /^websocket$/ };
const TRANSPORTS = (process.env.RPL_TRANSPORTS || 'longpoll,eventsource,websocket').split(',').filter((t) => t in NETWORK);
// Every test and hook has this limit: a hung browser or server fails it instead of stalling the run.
const T = { timeout: 60000 };
const SCRIPT_FILE = fileURLToPath(new URL('../../dist/dklab_realplexor.js', import.meta.url));

let browser;
let pages;
before(async () => {
  browser = await launchBrowser();
  pages = await pageServer();
}, T);
after(async () => {
  await browser?.close();
  pages?.close();
}, T);

const rplUrl = (server) => `http://rpl.test:${server.waitPort}/`;

async function openPage(ctx, name = 'client.html', query = '', host = 'page.test') {
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error('page error:', e));
  const net = watchNetwork(page, 'rpl.test');
  await page.goto(`http://${host}:${pages.port}/${name}${query}`);
  return { page, net };
}

// The page's callback log once it holds n entries.
async function logOf(page, n) {
  await page.waitForFunction((n) => window.log && log.length >= n, n, { timeout: 30000 });
  return page.evaluate(() => log);
}

async function withContext(fn) {
  const ctx = await browser.newContext();
  try {
    await fn(ctx);
  } finally {
    await ctx.close();
  }
}

// A client in the page: new Dklab_Realplexor(url, ns, opts), then subscribe(id, record(tag)) for [id, tag] pairs and execute().
function client(page, url, ns, opts, subs, cursors = {}) {
  return page.evaluate(
    ([url, ns, opts, subs, cursors]) => {
      const rpl = new Dklab_Realplexor(url, ns, opts);
      for (const id in cursors) rpl.setCursor(id, cursors[id]);
      for (const [id, tag] of subs) rpl.subscribe(id, record(tag));
      (window.clients = window.clients || []).push(rpl);
      rpl.execute();
    },
    [url, ns, opts, subs, cursors],
  );
}

const entry = (tag, data, id, cursor) => ({ tag, data, id, cursor });

for (const transport of TRANSPORTS) {
  describe(`transport ${transport}`, () => {
    let server;
    before(async () => {
      server = new ServerProcess(); // assigned first, so after() kills it even if start() fails
      await server.start();
    });
    after(() => server?.kill());

    test('several ids: callbacks get data, ids without namespace and cursors', T, () =>
      withContext(async (ctx) => {
        const { page, net } = await openPage(ctx);
        await client(page, rplUrl(server), 'ns_', { transport, shared: false }, [['a', 'a'], ['b', 'b'], ['c', 'c1'], ['c', 'c2']]);
        const ids = ['ns_a', 'ns_b', 'ns_c'];
        await listening(server, ids);
        // Long-poll reconnects after every answer; ids asked "from now" are only listened
        // to again once the next poll is in, so each publish waits for that.
        const c1 = await publish(server, 'ns_a', '{"n":1}');
        await logOf(page, 1);
        await listening(server, ids);
        const c2 = await publish(server, 'ns_a,ns_b', '"two"');
        await logOf(page, 3);
        await listening(server, ids);
        const c3 = await publish(server, 'ns_c', '{"multi":\n"line"}');
        await logOf(page, 5);
        await listening(server, ids);
        const c4 = await publish(server, 'ns_b', '{"text":"h\u00e9llo \u2713"}');
        assert.deepEqual(await logOf(page, 6), [
          entry('a', { n: 1 }, 'a', c1.ns_a),
          entry('a', 'two', 'a', c2.ns_a),
          entry('b', 'two', 'b', c2.ns_b),
          entry('c1', { multi: 'line' }, 'c', c3.ns_c),
          entry('c2', { multi: 'line' }, 'c', c3.ns_c),
          entry('b', { text: 'h\u00e9llo \u2713' }, 'b', c4.ns_b),
        ]);
        assert.ok(net.length > 0 && net.every((kind) => NETWORK[transport].test(kind)), 'used only ' + transport + ': ' + net);
        if (transport !== 'longpoll') assert.equal(net.length, 1, 'one stream for everything: ' + net);
      }));

    test('server restarted mid-stream: nothing lost, nothing twice', T, async () => {
      const own = new ServerProcess();
      try {
        await own.start();
        await withContext(async (ctx) => {
          const { page } = await openPage(ctx);
          await client(page, rplUrl(own), 'r_', { transport, shared: false }, [['x', 'x'], ['y', 'y']]);
          await listening(own, ['r_x', 'r_y']);
          const p1 = await publish(own, 'r_x', '1');
          await logOf(page, 1);
          await own.restart();
          // Published while the browser is still away: it must come once it is back.
          const p2 = await publish(own, 'r_x', '2');
          // A stream has told the client where "now" was for y as well; long-poll only
          // knows cursors of ids that had a message, so there y is published once listened.
          let p2y;
          if (transport !== 'longpoll') p2y = await publish(own, 'r_y', '"y2"');
          await listening(own, ['r_x', 'r_y']);
          if (transport === 'longpoll') p2y = await publish(own, 'r_y', '"y2"');
          await logOf(page, 3);
          await listening(own, ['r_x', 'r_y']);
          const p3 = await publish(own, 'r_x,r_y', '3');
          const log = await logOf(page, 5);
          assert.deepEqual(log.slice(0, 3).sort((l, r) => (l.tag < r.tag ? -1 : 1)), [
            entry('x', 1, 'x', p1.r_x),
            entry('x', 2, 'x', p2.r_x),
            entry('y', 'y2', 'y', p2y.r_y),
          ].sort((l, r) => (l.tag < r.tag ? -1 : 1)));
          assert.deepEqual(log.slice(3), [entry('x', 3, 'x', p3.r_x), entry('y', 3, 'y', p3.r_y)]);
        });
      } finally {
        await own.kill();
      }
    });

    test('network drop: reconnects from its cursors, nothing lost, nothing twice', T, async () => {
      const proxy = await tcpProxy(server.waitPort);
      try {
        await withContext(async (ctx) => {
          const { page } = await openPage(ctx);
          await client(page, `http://rpl.test:${proxy.port}/`, 'd_', { transport, shared: false }, [['z', 'z']]);
          await listening(server, ['d_z']);
          const p1 = await publish(server, 'd_z', '1');
          await logOf(page, 1);
          await listening(server, ['d_z']);
          proxy.cut();
          const p2 = await publish(server, 'd_z', '2'); // while the browser reconnects
          await logOf(page, 2);
          await listening(server, ['d_z']);
          const p3 = await publish(server, 'd_z', '3');
          assert.deepEqual(await logOf(page, 3), [entry('z', 1, 'z', p1.d_z), entry('z', 2, 'z', p2.d_z), entry('z', 3, 'z', p3.d_z)]);
        });
      } finally {
        await proxy.stop();
      }
    });

    test('two tabs share one connection; the other tab takes over when the leader closes', T, () =>
      withContext(async (ctx) => {
        const tab1 = await openPage(ctx);
        const tab2 = await openPage(ctx);
        assert.equal(await tab1.page.evaluate(() => !!navigator.locks), false, 'page.test is not a secure context: heartbeat election');
        await client(tab1.page, rplUrl(server), 'tabs_', { transport }, [['t', 't']]);
        await listening(server, ['tabs_t']);
        await client(tab2.page, rplUrl(server), 'tabs_', { transport }, [['t', 't'], ['u', 'u']]);
        await listening(server, ['tabs_t', 'tabs_u']); // the leader's connection now listens to both
        const p1 = await publish(server, 'tabs_t', '1');
        await logOf(tab1.page, 1);
        await logOf(tab2.page, 1);
        await listening(server, ['tabs_t', 'tabs_u']);
        assert.equal(tab2.net.length, 0, 'the second tab made no connection: ' + tab2.net);
        await tab1.page.close();
        const p2 = await publish(server, 'tabs_t', '2'); // during the handover
        await logOf(tab2.page, 2);
        await listening(server, ['tabs_t', 'tabs_u']);
        const p3 = await publish(server, 'tabs_u', '3');
        assert.deepEqual(await logOf(tab2.page, 3), [entry('t', 1, 't', p1.tabs_t), entry('t', 2, 't', p2.tabs_t), entry('u', 3, 'u', p3.tabs_u)]);
        assert.ok(tab2.net.length > 0 && tab2.net.every((kind) => NETWORK[transport].test(kind)), 'tab 2 leads: ' + tab2.net);
      }));
  });
}

describe('API and pages', () => {
  let server;
  before(async () => {
    server = new ServerProcess({ SCRIPT_FILE });
    await server.start();
  });
  after(() => server?.kill());

  test('unsubscribe stops callbacks at once; with no callback left the id is no longer listened', T, () =>
    withContext(async (ctx) => {
      const { page } = await openPage(ctx);
      await client(page, rplUrl(server), 'un_', { transport: 'longpoll', shared: false }, [['u', 'u1'], ['u', 'u2'], ['v', 'v']]);
      await listening(server, ['un_u', 'un_v']);
      // No execute(): the original stopped calling at once too.
      await page.evaluate(() => clients[0].unsubscribe('u', record('u1')).unsubscribe('u', () => {}).unsubscribe('nothing', null));
      const p1 = await publish(server, 'un_u', '1');
      assert.deepEqual(await logOf(page, 1), [entry('u2', 1, 'u', p1.un_u)]);
      await page.evaluate(() => clients[0].unsubscribe('u', null).execute());
      await until(async () => (await online(server)).un_u === 0, 'u no longer listened');
      await listening(server, ['un_v']);
      await publish(server, 'un_u', '2');
      const p3 = await publish(server, 'un_v', '3');
      assert.deepEqual(await logOf(page, 2), [entry('u2', 1, 'u', p1.un_u), entry('v', 3, 'v', p3.un_v)]);
    }));

  test('namespaces and logon: ids on the wire are LOGIN_ + namespace + id, callbacks see the bare id', T, () =>
    withContext(async (ctx) => {
      const { page, net } = await openPage(ctx);
      // Three clients of one page share one connection (they are three members of it).
      await client(page, rplUrl(server), 'n1_', {}, [['chan', 'n1']]);
      await client(page, rplUrl(server), 'n2_', {}, [['chan', 'n2']]);
      await page.evaluate((url) => {
        const rpl = new Dklab_Realplexor(url, 'n1_').logon('joe').subscribe('chan', record('joe'));
        rpl.execute();
      }, rplUrl(server));
      await listening(server, ['n1_chan', 'n2_chan', 'joe_n1_chan']);
      const p1 = await publish(server, 'n2_chan', '1');
      await logOf(page, 1);
      await listening(server, ['n1_chan', 'n2_chan', 'joe_n1_chan']);
      const p2 = await publish(server, 'joe_n1_chan', '2');
      await logOf(page, 2);
      await listening(server, ['n1_chan', 'n2_chan', 'joe_n1_chan']);
      const p3 = await publish(server, 'n1_chan', '3');
      assert.deepEqual(await logOf(page, 3), [entry('n2', 1, 'chan', p1.n2_chan), entry('joe', 2, 'chan', p2.joe_n1_chan), entry('n1', 3, 'chan', p3.n1_chan)]);
      assert.equal(new Set(net).size, 1, 'one kind of connection: ' + net);
    }));

  test('setCursor(id, 0) hands over what the server still holds, in order; a later cursor skips', T, () =>
    withContext(async (ctx) => {
      const q = [await publish(server, 'sc_q', '"q1"'), await publish(server, 'sc_q', '"q2"'), await publish(server, 'sc_q', '"q3"')];
      const r1 = await publish(server, 'sc_r', '"r1"');
      const r2 = await publish(server, 'sc_r', '"r2"');
      const { page } = await openPage(ctx);
      await client(page, rplUrl(server), 'sc_', { shared: false }, [['q', 'q'], ['r', 'r']], { q: 0, r: r1.sc_r });
      const log = await logOf(page, 4);
      assert.deepEqual(log.filter((l) => l.tag === 'q'), q.map((c, i) => entry('q', 'q' + (i + 1), 'q', c.sc_q)));
      assert.deepEqual(log.filter((l) => l.tag === 'r'), [entry('r', 'r2', 'r', r2.sc_r)]);
    }));

  test('execute() inside a callback makes no extra request; a new id there makes exactly one', T, () =>
    withContext(async (ctx) => {
      const { page, net } = await openPage(ctx);
      await page.evaluate((url) => {
        const rpl = new Dklab_Realplexor(url, 'ex_', { transport: 'longpoll', shared: false });
        rpl.subscribe('e', (data, id, cursor) => {
          log.push({ tag: 'e', data, id, cursor });
          if (data === 'add') rpl.subscribe('f', record('f'));
          rpl.execute();
          rpl.execute();
        });
        rpl.execute();
      }, rplUrl(server));
      await listening(server, ['ex_e']);
      await publish(server, 'ex_e', '"plain"');
      await logOf(page, 1);
      await listening(server, ['ex_e']);
      assert.equal(net.length, 2, 'first poll and one after the answer: ' + net);
      await publish(server, 'ex_e', '"add"');
      await logOf(page, 2);
      await listening(server, ['ex_e', 'ex_f']);
      assert.equal(net.length, 3, 'one poll for e and f: ' + net);
      const pf = await publish(server, 'ex_f', '"f"');
      assert.deepEqual((await logOf(page, 3))[2], entry('f', 'f', 'f', pf.ex_f));
    }));

  test('long-poll keeps its connection: consecutive polls on one accepted connection', T, async () => {
    // The server's own count of accepted WAIT connections (admin /metrics) must not grow while
    // one page long-polls through several deliveries: each poll reuses the kept connection.
    const adminPort = await freePort();
    const own = new ServerProcess({ ADMIN_ADDR: '127.0.0.1:' + adminPort });
    const accepted = async () => {
      // (The admin line may start listening a moment after the WAIT line.)
      const text = await until(() => fetch(`http://127.0.0.1:${adminPort}/metrics`).then((r) => r.text(), () => null), 'admin /metrics');
      const m = /realplexor_connections_accepted_total\{line="wait"\} ([0-9.]+)/.exec(text);
      assert.ok(m, 'no accepted counter in ' + text.slice(0, 200));
      return Number(m[1]);
    };
    try {
      await own.start();
      await withContext(async (ctx) => {
        const { page } = await openPage(ctx);
        await client(page, rplUrl(own), 'k_', { transport: 'longpoll', shared: false }, [['k', 'k']]);
        await listening(own, ['k_k']);
        const first = await publish(own, 'k_k', '0');
        await logOf(page, 1);
        await listening(own, ['k_k']);
        const before = await accepted();
        const sent = [first];
        for (let i = 1; i <= 6; i++) {
          sent.push(await publish(own, 'k_k', String(i)));
          await logOf(page, i + 1);
          await listening(own, ['k_k']);
        }
        const log = await logOf(page, 7);
        assert.deepEqual(log, sent.map((p, i) => entry('k', i, 'k', p.k_k)), 'each message once, in order');
        assert.equal(await accepted(), before, 'six more polls, no new connection');
      });
    } finally {
      await own.kill();
    }
  });

  test('a long id list is polled by POST', T, () =>
    withContext(async (ctx) => {
      const { page, net } = await openPage(ctx);
      const subs = [];
      for (let i = 0; i < 130; i++) subs.push(['channel_' + String(i).padStart(3, '0'), 'c' + i]);
      await client(page, rplUrl(server), 'lp_', { transport: 'longpoll', shared: false }, subs);
      await listening(server, ['lp_channel_000', 'lp_channel_129']);
      const p = await publish(server, 'lp_channel_129', '{"last":true}');
      assert.deepEqual(await logOf(page, 1), [entry('c129', { last: true }, 'channel_129', p.lp_channel_129)]);
      assert.ok(net.length > 0 && net.every((kind) => kind === 'fetch POST'), String(net));
    }));

  test('the ES module works from <script type="module">', T, () =>
    withContext(async (ctx) => {
      const { page } = await openPage(ctx, 'module.html', '?rpl=' + encodeURIComponent(rplUrl(server)));
      await listening(server, ['mod_news']);
      const p = await publish(server, 'mod_news', '{"hello":"module"}');
      assert.deepEqual(await logOf(page, 1), [{ data: { hello: 'module' }, id: 'news', cursor: p.mod_news }]);
    }));

  // The demo of the original: boards for alpha and beta, a "who is online" list read from
  // cursor 0, a board added with a button and one closed.
  async function legacyPage(ctx, script) {
    const ns = 'demo_';
    const queued = await publish(server, ns + 'who_is_online', '["alpha","beta"]'); // before the page loads
    assert.ok(queued[ns + 'who_is_online']);
    const query = '?rpl=' + encodeURIComponent(rplUrl(server)) + (script ? '&script=' + encodeURIComponent(script) : '');
    const { page } = await openPage(ctx, 'legacy.html', query);
    const text = (id, want) => page.waitForFunction(([id, want]) => document.getElementById(id).textContent.includes(want), [id, want]);
    await text('online', 'alpha, beta');
    await listening(server, ['demo_alpha', 'demo_beta', 'demo_who_is_online']);
    await publish(server, 'demo_alpha', '"hello alpha"');
    await text('board_alpha', '1: hello alpha @alpha');
    await listening(server, ['demo_alpha', 'demo_beta']);
    await page.click('#add'); // a new board for "gamma"
    await listening(server, ['demo_alpha', 'demo_beta', 'demo_gamma']);
    await publish(server, 'demo_gamma,demo_beta', '"to both"');
    await text('board_gamma', '1: to both @gamma');
    await text('board_beta', '1: to both @beta');
    await listening(server, ['demo_alpha', 'demo_beta', 'demo_gamma']);
    await page.click('#board_alpha button'); // close the alpha board
    await until(async () => (await online(server)).demo_alpha === 0, 'alpha no longer listened');
    await page.close();
  }

  test('a page written for the original client runs unchanged', T, () => withContext((ctx) => legacyPage(ctx)));

  test('such a page gets this client from the server (?identifier=SCRIPT, SCRIPT_FILE set to it)', T, async () => {
    const script = rplUrl(server) + '?identifier=SCRIPT';
    const served = await (await fetch(script.replace('rpl.test', '127.0.0.1'))).text();
    assert.equal(served, readFileSync(SCRIPT_FILE, 'utf8'), 'served byte for byte (no $name in it to substitute)');
    await withContext((ctx) => legacyPage(ctx, script));
  });

  test('through a proxy that hides streams (as the original server answers them) it falls back to long-poll', T, async () => {
    // The proxy removes the headers that ask for WebSocket and EventSource, so the server
    // answers those requests with its long-poll head, as the original server did.
    const proxy = await tcpProxy(server.waitPort, (head) =>
      head.replace(/^(Upgrade|Connection|Sec-WebSocket-[\w-]+):.*\r\n/gim, '').replace(/^Accept: text\/event-stream\r\n/im, ''));
    try {
      await withContext(async (ctx) => {
        const { page, net } = await openPage(ctx);
        // From cursor 0: the refused attempts were polls to the server too, so "one listener on
        // fb_w" may still be a refused one when the publish goes out; the long-poll that follows
        // then finds the message queued instead of missing it.
        await client(page, `http://rpl.test:${proxy.port}/`, 'fb_', { shared: false }, [['w', 'w']], { w: '0' });
        await until(() => net.includes('fetch GET'), 'a long-poll');
        await listening(server, ['fb_w']);
        const p = await publish(server, 'fb_w', '"fell back"');
        assert.deepEqual(await logOf(page, 1), [entry('w', 'fell back', 'w', p.fb_w)]);
        assert.deepEqual(net.slice(0, 3), ['websocket', 'eventsource', 'fetch GET']);
      });
    } finally {
      await proxy.stop();
    }
  });

  test('with Web Locks (a secure context) tabs share one connection and hand it over too', T, () =>
    withContext(async (ctx) => {
      const tab1 = await openPage(ctx, 'client.html', '', 'localhost');
      const tab2 = await openPage(ctx, 'client.html', '', 'localhost');
      assert.equal(await tab1.page.evaluate(() => !!navigator.locks), true);
      await client(tab1.page, rplUrl(server), 'lk_', {}, [['t', 't']]);
      await listening(server, ['lk_t']);
      await client(tab2.page, rplUrl(server), 'lk_', {}, [['t', 't']]);
      const p1 = await publish(server, 'lk_t', '1');
      await logOf(tab1.page, 1);
      await logOf(tab2.page, 1);
      assert.equal(tab2.net.length, 0, 'the second tab made no connection: ' + tab2.net);
      await listening(server, ['lk_t']);
      await tab1.page.close();
      const p2 = await publish(server, 'lk_t', '2');
      assert.deepEqual(await logOf(tab2.page, 2), [entry('t', 1, 't', p1.lk_t), entry('t', 2, 't', p2.lk_t)]);
      assert.ok(tab2.net.length > 0);
    }));
});
