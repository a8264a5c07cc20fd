// JSONP on the WAIT line in a real browser: a page on http://site.test/ that may use neither
// CORS nor an IFRAME polls http://rpl.site.test/ with <script> tags and callback=NAME, as
// pages did with Simple-Comet-Server: each answer calls the callback, the script's onload
// starts the next poll with the cursors the answer carried.
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort, launchChromium, online, publish, startServer, waitUntil } from './support/realplexor.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const jar = path.resolve(here, '../../../target/realplexor-server.jar');

const PAGE_HOST = 'site.test';
const WAIT_HOST = 'rpl.site.test';          // default knobs
const SHORT_WAIT_HOST = 'rpl2.site.test';   // WAIT_TIMEOUT=1

// The page: window.app polls app.ids by script tags; app.callback names the callback.
const pageHtml = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>JSONP harness</title></head><body>
<script>
window.app = {
    waitUrl: new URLSearchParams(location.search).get('wait'),
    callback: 'window.app.onData',
    ids: [],
    cursors: {},
    received: [],   // { id, data, cursor } per message
    calls: 0,       // callback calls
    loads: 0,       // scripts that loaded (with or without a call)
    errors: 0,      // scripts that failed (e.g. 400)
    polling: false,
    onData: function (answer) {
        app.calls++;
        answer.forEach(function (part) {
            Object.keys(part.ids).forEach(function (id) {
                app.cursors[id] = part.ids[id];
                app.received.push({ id: id, data: part.data, cursor: part.ids[id] });
            });
        });
    },
    poll: function () {
        var list = app.ids.map(function (id) {
            return app.cursors[id] ? app.cursors[id] + ':' + id : id;
        }).join(',');
        var s = document.createElement('script');
        s.src = app.waitUrl + '?identifier=' + list + '&callback=' + encodeURIComponent(app.callback)
            + '&ncrnd=' + Date.now();
        // A script runs before its load event: the cursors are up to date for the next poll.
        s.onload = function () { app.loads++; s.remove(); if (app.polling) app.poll(); };
        s.onerror = function () { app.errors++; s.remove(); };
        document.head.appendChild(s);
    },
    start: function (ids) {
        app.ids = ids;
        app.polling = true;
        app.poll();
    },
};
</script></body></html>`;

let pageServer;
let server;
let shortServer;
let browser;

// Each test and hook has its own limit: a hung browser or server fails its test instead of
// stalling the run (node --test has no --test-timeout before Node 20.11).
const LIMIT = { timeout: 60000 };

before(async () => {
    const [pagePort, waitPort, inPort, shortWaitPort, shortInPort] =
        await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
    pageServer = http.createServer((req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(pageHtml);
    });
    await new Promise((resolve) => pageServer.listen(pagePort, '127.0.0.1', resolve));
    const started = await Promise.allSettled([
        startServer({ jar, waitPort, inPort }),
        startServer({ jar, waitPort: shortWaitPort, inPort: shortInPort, knobs: { WAIT_TIMEOUT: '1' } }),
    ]);
    [server, shortServer] = started.map((r) => r.value);
    for (const r of started) if (r.status === 'rejected') throw r.reason;
    browser = await launchChromium({ [PAGE_HOST]: pagePort, [WAIT_HOST]: waitPort, [SHORT_WAIT_HOST]: shortWaitPort });
}, LIMIT);

after(async () => {
    await browser?.close();
    await Promise.all([server?.stop(), shortServer?.stop()]);
    pageServer?.close();
}, LIMIT);

/** Opens the page against a WAIT host; records its polls (requests and responses). */
async function openPage(waitHost) {
    const page = await browser.newPage();
    const polls = [];
    const responses = [];
    page.on('request', (request) => {
        const url = new URL(request.url());
        if (url.host === waitHost) polls.push({ url, headers: request.headers(), at: Date.now() });
    });
    page.on('response', (response) => {
        if (new URL(response.url()).host === waitHost) responses.push(response);
    });
    await page.goto(`http://${PAGE_HOST}/?wait=${encodeURIComponent(`http://${waitHost}/`)}`);
    return { page, polls, responses };
}

async function received(page, count) {
    await page.waitForFunction((n) => window.app.received.length >= n, count, { timeout: 10000 });
    return page.evaluate(() => window.app.received);
}

async function listening(target, id) {
    await waitUntil(async () => (await online(target.inPort, id))[id] >= 1, `a listener on ${id}`);
}

function get(port, requestPath) {
    return new Promise((resolve, reject) => {
        http.get({ host: '127.0.0.1', port, path: requestPath, headers: { Host: WAIT_HOST } }, (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (chunk) => { body += chunk; });
            res.on('end', () => resolve({ status: res.statusCode, body }));
        }).on('error', reject);
    });
}

describe('JSONP long-poll', () => {
    test('a script tag gets the message through its callback and re-polls with the cursor', LIMIT, async () => {
        const { page, polls, responses } = await openPage(WAIT_HOST);
        try {
            await page.evaluate(() => window.app.start(['jsonp_A']));
            await listening(server, 'jsonp_A');
            const first = await publish(server.inPort, 'jsonp_A', '{"text":"h\u00e9llo","n":1}');
            assert.deepEqual(await received(page, 1),
                [{ id: 'jsonp_A', data: { text: 'h\u00e9llo', n: 1 }, cursor: first.jsonp_A }]);

            // The next poll carries the cursor and hears only what came after it.
            await waitUntil(() => polls.length >= 2, 'the second poll');
            await listening(server, 'jsonp_A');
            const second = await publish(server.inPort, 'jsonp_A', '[2]');
            const got = await received(page, 2);
            assert.deepEqual(got[1], { id: 'jsonp_A', data: [2], cursor: second.jsonp_A });
            assert.equal(got.length, 2, 'no message twice');
            assert.equal(await page.evaluate(() => window.app.calls), 2);
            assert.equal(await page.evaluate(() => window.app.errors), 0);

            assert.equal(polls[0].url.searchParams.get('identifier'), 'jsonp_A');
            assert.equal(polls[0].url.searchParams.get('callback'), 'window.app.onData');
            assert.equal(polls[0].headers.origin, undefined, 'a classic script sends no Origin');
            assert.equal(polls[1].url.searchParams.get('identifier'), `${first.jsonp_A}:jsonp_A`);
            const headers = responses[0].headers();
            assert.equal(headers['content-type'], 'application/javascript; charset=utf-8');
            assert.equal(headers['x-content-type-options'], 'nosniff');
            assert.equal(headers['access-control-allow-origin'], undefined, 'no CORS for a script tag');
        } finally {
            await page.close();
        }
    });

    test('a bad callback name gets 400: the script fails and nothing listens', LIMIT, async () => {
        const { page, responses } = await openPage(WAIT_HOST);
        try {
            await page.evaluate(() => {
                window.app.callback = 'window.app["onData"]';
                window.app.start(['jsonp_Bad']);
            });
            await page.waitForFunction(() => window.app.errors >= 1, null, { timeout: 10000 });
            assert.equal(responses[0].status(), 400);
            // Chromium keeps no body of a failed script: ask for the same URL to read the reason.
            const url = new URL(responses[0].url());
            const again = await get(server.waitPort, url.pathname + url.search);
            assert.equal(again.status, 400);
            assert.equal(again.body, "callback may hold only letters, digits, _, $ and dots, not '['\n");
            assert.equal(await page.evaluate(() => window.app.calls), 0);
            assert.deepEqual(await online(server.inPort, 'jsonp_Bad'), {});
        } finally {
            await page.close();
        }
    });

    test('after a WAIT_TIMEOUT the empty script loads without a call and the page polls again', LIMIT, async () => {
        const { page, polls } = await openPage(SHORT_WAIT_HOST);
        try {
            // From cursor 0: a message published between two polls is not missed.
            await page.evaluate(() => {
                window.app.cursors.jsonp_T = '0';
                window.app.start(['jsonp_T']);
            });
            await page.waitForFunction(() => window.app.loads >= 2, null, { timeout: 10000 });
            assert.equal(await page.evaluate(() => window.app.calls), 0, 'a timeout calls nothing');
            assert.equal(await page.evaluate(() => window.app.errors), 0, 'and is no error');
            await listening(shortServer, 'jsonp_T');
            const published = await publish(shortServer.inPort, 'jsonp_T', '"late"');
            assert.deepEqual((await received(page, 1))[0], { id: 'jsonp_T', data: 'late', cursor: published.jsonp_T });
            assert.ok(polls[1].at - polls[0].at >= 800, `the server held the poll (${polls[1].at - polls[0].at} ms)`);
        } finally {
            await page.close();
        }
    });
});
