// Signed subscriptions in Chromium against the real server (SIGNED_PREFIXES=sec_): a valid
// token, an expired one refreshed through onTokenExpired, a tampered one and none at all,
// on each transport. Tokens are made here the way the back-end SDKs make them.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ServerProcess, launchBrowser, listening, pageServer, publish, until } from './harness.mjs';

const TRANSPORTS = (process.env.RPL_TRANSPORTS || 'longpoll,eventsource,websocket')
  .split(',')
  .filter((t) => ['longpoll', 'eventsource', 'websocket'].includes(t));
const T = { timeout: 60000 };
const SECRET = 'sdk-js-browser-test-secret';

// PROTOCOL.md section 14: EXPIRY.ID-ID.MAC, MAC = HMAC-SHA256 over "EXPIRY.ID-ID", base64url.
function token(ids, expiry, secret = SECRET) {
  const payload = expiry + '.' + ids.join('-');
  return payload + '.' + createHmac('sha256', secret).update(payload).digest('base64url');
}
const now = () => Math.floor(Date.now() / 1000);
const valid = (ids) => token(ids, now() + 600);
const expired = (ids) => token(ids, now() - 10);

let browser;
let pages;
let server;
before(async () => {
  browser = await launchBrowser();
  pages = await pageServer();
  server = new ServerProcess({ SUBSCRIBE_SECRET: SECRET, SIGNED_PREFIXES: 'sec_' });
  await server.start();
}, T);
after(async () => {
  await browser?.close();
  pages?.close();
  await server?.kill();
}, T);

let n = 0;
// A page with one client listening to `ids` (namespace ''), its token set and, when asked,
// fresh tokens from freshToken() (counted in window.asked). clockShift (ms) moves the
// page's clock, so that a token the server finds expired still looks good to the client.
async function signedPage(ctx, transport, ids, initial, { fresh = null, clockShift = 0 } = {}) {
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error('page error:', e));
  if (clockShift) await page.addInitScript((shift) => {
    const real = Date.now;
    Date.now = () => real() + shift;
  }, clockShift);
  if (fresh) await page.exposeFunction('freshToken', fresh);
  await page.goto(`http://page.test:${pages.port}/client.html`);
  await page.evaluate(
    ([url, transport, ids, initial, refresh]) => {
      window.asked = 0;
      const rpl = new Dklab_Realplexor(url, '', { transport, shared: false });
      rpl.setToken(initial);
      if (refresh) rpl.onTokenExpired(() => (window.asked++, window.freshToken()));
      for (const id of ids) rpl.subscribe(id, record(id));
      rpl.execute();
    },
    [`http://rpl.test:${server.waitPort}/`, transport, ids, initial, !!fresh],
  );
  return page;
}

async function withContext(fn) {
  const ctx = await browser.newContext();
  try {
    await fn(ctx);
  } finally {
    await ctx.close();
  }
}

const logOf = async (page, count) => {
  await page.waitForFunction((c) => log.length >= c, count, { timeout: 30000 });
  return page.evaluate(() => log.map((e) => [e.id, e.data]));
};

for (const transport of TRANSPORTS) {
  describe(`signed subscriptions over ${transport}`, () => {
    test('a valid token opens the signed id', T, () =>
      withContext(async (ctx) => {
        const id = `sec_v${++n}`;
        const page = await signedPage(ctx, transport, [id], valid([id]));
        await listening(server, [id]);
        await publish(server, id, '"hello"');
        assert.deepEqual(await logOf(page, 1), [[id, 'hello']]);
      }));

    test('an expired token: the page is asked once for a fresh one, then messages flow', T, () =>
      withContext(async (ctx) => {
        const id = `sec_e${++n}`;
        const page = await signedPage(ctx, transport, [id], expired([id]), { fresh: () => valid([id]) });
        await listening(server, [id]);
        await publish(server, id, '"after refresh"');
        assert.deepEqual(await logOf(page, 1), [[id, 'after refresh']]);
        assert.equal(await page.evaluate(() => asked), 1);
      }));

    test('expired by the server only (page clock behind): the refusal itself asks for a fresh token', T, () =>
      withContext(async (ctx) => {
        const id = `sec_s${++n}`;
        const page = await signedPage(ctx, transport, [id], token([id], now() - 30), {
          fresh: () => valid([id]),
          clockShift: -3600 * 1000,
        });
        await listening(server, [id]);
        await publish(server, id, '"skewed"');
        assert.deepEqual(await logOf(page, 1), [[id, 'skewed']]);
        assert.equal(await page.evaluate(() => asked), 1);
      }));

    test('a tampered token or none: the signed id gets nothing, the unsigned one is served', T, () =>
      withContext(async (ctx) => {
        const good = valid([`sec_t${++n}`]);
        const tampered = good.replace(`sec_t${n}`, `sec_u${n}`);
        for (const [initial, signed, open] of [[tampered, `sec_u${n}`, `pub_t${n}`], [null, `sec_m${n}`, `pub_m${n}`]]) {
          const page = await signedPage(ctx, transport, [signed, open], initial, { fresh: () => valid([signed]) });
          await listening(server, [open]);
          await publish(server, signed, '"secret"');
          await publish(server, open, '"public"');
          assert.deepEqual(await logOf(page, 1), [[open, 'public']]);
          await new Promise((r) => setTimeout(r, 300)); // a late secret would show up in this time
          assert.deepEqual(await page.evaluate(() => log.map((e) => e.id)), [open], 'nothing of ' + signed);
          assert.equal(await page.evaluate(() => asked), 0, 'not expired: the page is not asked');
          await page.close();
        }
      }));
  });
}

describe('signed subscriptions, one signed id alone', () => {
  test('a missing token: 403, nothing delivered, the page keeps retrying quietly', T, () =>
    withContext(async (ctx) => {
      const id = `sec_alone${++n}`;
      const page = await signedPage(ctx, 'longpoll', [id], null);
      await until(() => page.evaluate(() => true), 'the page');
      await publish(server, id, '"x"');
      await new Promise((r) => setTimeout(r, 500));
      assert.deepEqual(await page.evaluate(() => log), []);
    }));
});
