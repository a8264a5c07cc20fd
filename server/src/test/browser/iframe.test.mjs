// The legacy IFRAME path of the WAIT line in a real browser: Debian's Chromium loads a page
// from http://site.test/ that embeds the server's IFRAME page from http://rpl.site.test/
// exactly as the original dklab_realplexor.js does (see support/page.html), and drives its
// Dklab_Realplexor_Loader while the test publishes on the IN line of the real server.
//
// The original client works only when its page's host carries no port (document.domain
// takes none) and the WAIT host is that host or a sub-domain of it, so Chromium maps both
// names, port 80 included, onto the local test ports.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort, launchChromium, online, publish, startServer, waitUntil } from './support/realplexor.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const jar = path.resolve(here, '../../../target/realplexor-server.jar');
const pageHtml = fs.readFileSync(path.join(here, 'support/page.html'));

const PAGE_HOST = 'site.test';
const WAIT_HOST = 'rpl.site.test';            // server with the default knobs
const SHORT_WAIT_HOST = 'rpl2.site.test';     // server with WAIT_TIMEOUT=1 and changed JS knobs
const CUSTOM_WAIT_URI = '/custom/poll';
// Every test and hook has this limit: a hung browser, page or server fails it instead of
// stalling the run (node --test has no --test-timeout before Node 20.11).
const LIMIT = { timeout: 60000 };

let pageServer;
let server;
let shortServer;
let browser;

before(async () => {
    const [pagePort, waitPort, inPort, shortWaitPort, shortInPort] =
        await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
    pageServer = http.createServer((req, res) => {
        if (req.url.split('?')[0] !== '/') {
            res.writeHead(404).end();
            return;
        }
        // Without this header Chromium keys agent clusters by origin and ignores
        // document.domain; the server sends the same on its IFRAME answer.
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Origin-Agent-Cluster': '?0' });
        res.end(pageHtml);
    });
    await new Promise((resolve) => pageServer.listen(pagePort, '127.0.0.1', resolve));
    // allSettled: a server that did start must reach after(), or it outlives the run.
    const started = await Promise.allSettled([
        startServer({ jar, waitPort, inPort }),
        startServer({
            jar, waitPort: shortWaitPort, inPort: shortInPort,
            knobs: { WAIT_TIMEOUT: '1', JS_WAIT_URI: CUSTOM_WAIT_URI, JS_DEBUG: '0' },
        }),
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

/** Opens the harness page against a WAIT host; records the loader's polls and console. */
async function openHarness(waitHost) {
    const page = await browser.newPage();
    const polls = [];
    const consoleLines = [];
    page.on('request', (request) => {
        const url = new URL(request.url());
        if (url.host === waitHost && !url.search.includes('identifier=IFRAME')) {
            polls.push({ method: request.method(), url, body: request.postData(), at: Date.now() });
        }
    });
    page.on('console', (message) => consoleLines.push(message.text()));
    const iframeAnswer = page.waitForResponse((response) => response.url().includes('identifier=IFRAME'));
    await page.goto(`http://${PAGE_HOST}/?wait=${encodeURIComponent(`http://${waitHost}/`)}`);
    const answer = await iframeAnswer;
    const loaded = await page.evaluate(() => window.rpl.loaded);
    assert.equal(loaded, 'ready', 'the page reaches the IFRAME loader through document.domain');
    return { page, polls, consoleLines, iframeAnswer: answer };
}

async function received(page, count) {
    await page.waitForFunction((n) => window.rpl.received.length >= n, count, { timeout: 10000 });
    return page.evaluate(() => window.rpl.received);
}

async function listening(target, ids) {
    await waitUntil(async () => {
        const counts = await online(target.inPort, 'demo_');
        return ids.every((id) => counts[id] >= 1);
    }, `listeners on ${ids}`);
}

function fetchRaw(port, requestPath) {
    return new Promise((resolve, reject) => {
        http.get({ host: '127.0.0.1', port, path: requestPath, headers: { Host: WAIT_HOST } }, (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (chunk) => { body += chunk; });
            res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
        }).on('error', reject);
    });
}

describe('legacy IFRAME path', () => {
    test('the IFRAME page comes with every knob filled in and opts out of origin-keyed clusters', LIMIT, async () => {
        const answer = await fetchRaw(server.waitPort, '/?identifier=IFRAME&HOST=site.test&version=1.31');
        assert.equal(answer.status, 200);
        assert.match(answer.headers['content-type'], /^text\/html; charset=utf-8$/);
        assert.equal(answer.headers['origin-agent-cluster'], '?0');
        assert.match(answer.body, /Dklab_Realplexor_Loader/);
        assert.doesNotMatch(answer.body, /\$[a-z]/i, 'no placeholder is left');
        assert.doesNotMatch(answer.body, /undefined-\w/, 'every placeholder names a known knob');
    });

    test('published messages reach the callbacks with ids stripped of the namespace and string cursors', LIMIT, async () => {
        const { page, polls, consoleLines, iframeAnswer } = await openHarness(WAIT_HOST);
        try {
            assert.equal(iframeAnswer.headers()['origin-agent-cluster'], '?0');
            await page.evaluate(() => {
                window.rpl.namespace = 'demo_';
                window.rpl.subscribe('Alpha');
                window.rpl.subscribe('Beta');
                window.rpl.execute();
            });
            await listening(server, ['demo_Alpha', 'demo_Beta']);
            const first = await publish(server.inPort, 'demo_Alpha,demo_Beta', '{"text":"h\u00e9llo","n":1}');
            const got = await received(page, 2);
            assert.deepEqual(got, [
                { id: 'Alpha', data: { text: 'h\u00e9llo', n: 1 }, cursor: first.demo_Alpha, by: 'main' },
                { id: 'Beta', data: { text: 'h\u00e9llo', n: 1 }, cursor: first.demo_Beta, by: 'main' },
            ]);
            assert.equal(typeof got[0].cursor, 'string');
            assert.deepEqual(
                await page.evaluate(() => [window.rpl.map.Alpha.cursor, window.rpl.map.Beta.cursor]),
                [first.demo_Alpha, first.demo_Beta],
                'cursors are written back into the client map');

            const second = await publish(server.inPort, 'demo_Alpha', '[2]');
            assert.deepEqual((await received(page, 3))[2],
                { id: 'Alpha', data: [2], cursor: second.demo_Alpha, by: 'main' });

            assert.ok(polls.length >= 2, 'one poll per answer');
            assert.equal(polls[0].method, 'GET');
            assert.equal(polls[0].url.pathname, '/');
            assert.equal(polls[0].url.searchParams.get('identifier'), 'demo_Alpha,demo_Beta');
            assert.match(polls[0].url.searchParams.get('ncrnd'), /^\d+$/);
            assert.equal(polls[1].url.searchParams.get('identifier'),
                `${first.demo_Alpha}:demo_Alpha,${first.demo_Beta}:demo_Beta`);
            assert.ok(consoleLines.some((line) => line.startsWith('[realplexor] listening: ')),
                'JS_DEBUG=1 turns on the loader log');
        } finally {
            await page.close();
        }
    });

    test('a cursor given before execute() replays the queued messages after it, in cursor order', LIMIT, async () => {
        const m1 = await publish(server.inPort, 'demo_Queued,demo_Tail', '"one"');
        const m2 = await publish(server.inPort, 'demo_Queued,demo_Tail', '"two"');
        const { page } = await openHarness(WAIT_HOST);
        try {
            await page.evaluate((tailCursor) => {
                window.rpl.namespace = 'demo_';
                window.rpl.subscribe('Queued', { cursor: 0 });
                window.rpl.subscribe('Tail', { cursor: tailCursor });
                window.rpl.execute();
            }, m1.demo_Tail);
            assert.deepEqual(await received(page, 3), [
                { id: 'Queued', data: 'one', cursor: m1.demo_Queued, by: 'main' },
                { id: 'Queued', data: 'two', cursor: m2.demo_Queued, by: 'main' },
                { id: 'Tail', data: 'two', cursor: m2.demo_Tail, by: 'main' },
            ]);
        } finally {
            await page.close();
        }
    });

    test('an id without a cursor hears only what is published after it started listening', LIMIT, async () => {
        await publish(server.inPort, 'demo_Fresh', '"before"');
        const { page } = await openHarness(WAIT_HOST);
        try {
            await page.evaluate(() => {
                window.rpl.namespace = 'demo_';
                window.rpl.subscribe('Fresh');
                window.rpl.execute();
            });
            await listening(server, ['demo_Fresh']);
            const after = await publish(server.inPort, 'demo_Fresh', '"after"');
            assert.deepEqual(await received(page, 1),
                [{ id: 'Fresh', data: 'after', cursor: after.demo_Fresh, by: 'main' }]);
        } finally {
            await page.close();
        }
    });

    test('execute() called from a callback replaces the poll instead of adding a second one', LIMIT, async () => {
        const { page, polls } = await openHarness(WAIT_HOST);
        try {
            await page.evaluate(() => {
                window.rpl.namespace = 'demo_';
                window.rpl.subscribe('Again', { reexecute: true });
                window.rpl.execute();
            });
            await listening(server, ['demo_Again']);
            const a1 = await publish(server.inPort, 'demo_Again', '"a1"');
            await received(page, 1);
            // The cursor of a1 is in the map now, so a2 is not lost between polls. A second
            // poll would be answered with a2 too, before a3 is even published.
            const a2 = await publish(server.inPort, 'demo_Again', '"a2"');
            await received(page, 2);
            await publish(server.inPort, 'demo_Again', '"a3"');
            const got = await received(page, 3);
            assert.deepEqual(got.map((r) => r.data), ['a1', 'a2', 'a3']);
            assert.equal(await page.evaluate(() => window.rpl.received.length), 3);
            // One poll per cursor: a duplicate would repeat the identifier list of the poll
            // that the callback started (it goes out 10 ms after the answer, long before a3).
            const lists = polls.map((poll) => poll.url.searchParams.get('identifier'));
            assert.deepEqual(lists.slice(0, 3),
                ['demo_Again', `${a1.demo_Again}:demo_Again`, `${a2.demo_Again}:demo_Again`]);
            assert.equal(new Set(lists).size, lists.length, `polls: ${lists}`);
        } finally {
            await page.close();
        }
    });

    test('a failing callback is reported through callAndReturnException and the others still run', LIMIT, async () => {
        const { page } = await openHarness(WAIT_HOST);
        try {
            await page.evaluate(() => {
                window.rpl.namespace = 'demo_';
                window.rpl.subscribe('Err', { name: 'failing', throws: true });
                window.rpl.subscribe('Err', { name: 'second' });
                window.rpl.execute();
            });
            await listening(server, ['demo_Err']);
            await publish(server.inPort, 'demo_Err', '{"boom":true}');
            assert.deepEqual((await received(page, 2)).map((r) => r.by), ['failing', 'second']);
            assert.deepEqual(await page.evaluate(() => window.rpl.errors), ['Error: callback failure Err']);
            await publish(server.inPort, 'demo_Err', '{"boom":false}');
            assert.deepEqual((await received(page, 4)).slice(2).map((r) => r.data), [{ boom: false }, { boom: false }]);
        } finally {
            await page.close();
        }
    });

    test('a long id list is sent as a POST body ending in a newline', LIMIT, async () => {
        const names = Array.from({ length: 100 }, (_, i) => `Many_${String(i).padStart(3, '0')}_channel`);
        const { page, polls } = await openHarness(WAIT_HOST);
        try {
            await page.evaluate((ids) => {
                window.rpl.namespace = 'demo_';
                for (const id of ids) window.rpl.subscribe(id);
                window.rpl.execute();
            }, names);
            const last = names[names.length - 1];
            await listening(server, [`demo_${names[0]}`, `demo_${last}`]);
            const cursors = await publish(server.inPort, `demo_${last}`, '"deep"');
            assert.deepEqual(await received(page, 1),
                [{ id: last, data: 'deep', cursor: cursors[`demo_${last}`], by: 'main' }]);
            assert.equal(polls[0].method, 'POST');
            assert.equal(polls[0].url.search, '');
            assert.equal(polls[0].body, `identifier=${names.map((id) => `demo_${id}`).join(',')}\n`);
        } finally {
            await page.close();
        }
    });

    test('after a WAIT_TIMEOUT the loader polls again, at the JS_WAIT_URI the server filled in', LIMIT, async () => {
        const { page, polls, consoleLines } = await openHarness(SHORT_WAIT_HOST);
        try {
            await page.evaluate(() => {
                window.rpl.namespace = 'demo_';
                window.rpl.subscribe('Tick', { cursor: 0 });
                window.rpl.execute();
            });
            await waitUntil(() => polls.length >= 3, 'two polls to time out');
            const early = polls.slice(0, 3);
            const published = await publish(shortServer.inPort, 'demo_Tick', '"tock"');
            assert.deepEqual(await received(page, 1),
                [{ id: 'Tick', data: 'tock', cursor: published.demo_Tick, by: 'main' }]);
            for (const poll of early) {
                assert.equal(poll.url.pathname, CUSTOM_WAIT_URI);
                assert.equal(poll.url.searchParams.get('identifier'), '0:demo_Tick');
            }
            // The server held each poll for the timeout: the loader neither spun nor gave up.
            assert.ok(early[1].at - early[0].at >= 800, `polls ${early[1].at - early[0].at} ms apart`);
            assert.ok(!consoleLines.some((line) => line.startsWith('[realplexor] listening')),
                'JS_DEBUG=0 keeps the loader quiet');
        } finally {
            await page.close();
        }
    });
});
