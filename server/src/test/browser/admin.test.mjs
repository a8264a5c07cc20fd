// The admin status page in a real browser: Debian's Chromium opens the page of a real server's
// admin listener (behind ADMIN_USERS), while the test keeps streams and long-polls open and
// publishes, and checks what the page shows: counters, the chart, the online ids (searched,
// paged), the presence events; and that nothing is fetched from anywhere else.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './support/realplexor.mjs';
import { LOGIN, PASSWORD, startAdminServer, traffic } from './support/admin.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const jar = path.resolve(here, '../../../target/realplexor-server.jar');
const LIMIT = { timeout: 60000 };

const STREAMS = Array.from({ length: 20 }, (_, i) => `room_${String(i + 1).padStart(2, '0')}`);
const POLLS = Array.from({ length: 10 }, (_, i) => `user_${i + 1}`);

let server;
let load;
let browser;

before(async () => {
    server = await startAdminServer(jar);
    load = traffic(server, { streamIds: STREAMS, pollIds: POLLS, everyMs: 100 });
    browser = await launchChromium();
}, LIMIT);

after(async () => {
    load?.stop();
    await browser?.close();
    await server?.stop();
}, LIMIT);

describe('admin status page', () => {
    test('without credentials the page is refused with a Basic challenge', LIMIT, async () => {
        const context = await browser.newContext();
        try {
            // Headless Chromium turns a challenge it cannot answer into a navigation error,
            // which shows the page is refused; the context's own requests show the answer.
            const page = await context.newPage();
            await assert.rejects(page.goto(server.adminUrl), /ERR_INVALID_AUTH_CREDENTIALS/);
            for (const route of ['', 'status.js', 'api/summary', 'api/online', 'api/events', 'status']) {
                const answer = await context.request.get(server.adminUrl + route);
                assert.equal(answer.status(), 401, route);
                assert.match(answer.headers()['www-authenticate'], /^Basic realm="realplexor admin"/, route);
            }
            // A fresh page: the refused one may still be committing its chrome-error page, which
            // would interrupt a navigation made on it now.
            const metrics = await (await context.newPage()).goto(`${server.adminUrl}metrics`);
            assert.equal(metrics.status(), 200, '/metrics stays open for scrapers');
        } finally {
            await context.close();
        }
    });

    test('logged in, it shows connections, rates, online ids and presence events live', LIMIT, async () => {
        const context = await browser.newContext({ httpCredentials: { username: LOGIN, password: PASSWORD } });
        const elsewhere = [];
        const errors = [];
        try {
            const page = await context.newPage();
            page.on('request', (r) => { if (!r.url().startsWith(server.adminUrl)) elsewhere.push(r.url()); });
            page.on('pageerror', (e) => errors.push(e.message));
            const answer = await page.goto(server.adminUrl);
            assert.equal(answer.status(), 200);
            assert.equal(await page.title(), 'Realplexor status');

            await page.waitForFunction((n) => Number(document.getElementById('streams').textContent) === n,
                STREAMS.length, { timeout: 15000 });
            assert.match(await page.textContent('#health'), /^UP$/);
            assert.match(await page.textContent('#meta'), /engine local/);
            assert.ok(Number((await page.textContent('#tcp')).replace(/,/g, '')) >= STREAMS.length);

            // Messages flow: the counters grow and the chart gets points above zero.
            await page.waitForFunction(() => Number(document.getElementById('chart').dataset.max) > 0, null, { timeout: 15000 });
            assert.ok(Number((await page.textContent('#publishes')).replace(/,/g, '')) > 0);
            assert.ok(Number((await page.textContent('#deliveries')).replace(/,/g, '')) > 0);

            // The online ids: every id, 25 a page.
            const all = STREAMS.length + POLLS.length;
            await page.waitForFunction((n) => document.getElementById('online-total').textContent === `${n} id(s) online`,
                all, { timeout: 15000 });
            assert.equal(await page.locator('#online tbody tr').count(), 25);
            assert.equal(await page.textContent('#pageinfo'), '1 / 2');
            assert.equal(await page.textContent('#online tbody tr:first-child td:first-child'), 'room_01');
            await page.click('#next');
            await page.waitForFunction(() => document.getElementById('pageinfo').textContent === '2 / 2');
            assert.equal(await page.locator('#online tbody tr').count(), all - 25);
            assert.ok(await page.isDisabled('#next'));

            // Searched: back to the first page, only the matches.
            await page.fill('#q', 'USER_1');
            await page.waitForFunction(() => document.getElementById('online-total').textContent === '2 matching id(s) online');
            const ids = await page.locator('#online tbody tr td:first-child').allTextContents();
            assert.deepEqual(ids, ['user_1', 'user_10']);
            assert.equal(await page.textContent('#pageinfo'), '1 / 1');

            // Presence events, newest first.
            await page.waitForFunction(() => document.querySelectorAll('#events li').length > 0);
            const first = await page.textContent('#events li:first-child');
            assert.match(first, /^(online|offline) \d+ (room|user)_\d+$/);
            assert.ok(await page.locator('#cluster').isHidden(), 'no cluster section on the local engine');

            assert.deepEqual(elsewhere, [], 'nothing is loaded from anywhere else');
            assert.deepEqual(errors, []);
        } finally {
            await context.close();
        }
    });
});
