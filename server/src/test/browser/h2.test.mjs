// HTTP/2 on the WAIT line's TLS port in a real browser: Debian's Chromium negotiates h2 with
// the server (ALPN), and every poll of a page, from the original IFRAME client or sdk-js,
// is a stream of one connection. Each test checks the protocol the page itself saw
// (performance's resource entries: nextHopProtocol 'h2'), that messages arrive, and that a
// server restart on the same port loses or repeats nothing (the embedded engine forgets its
// queues on restart, so the test publishes after it and checks delivery goes on).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { makePki } from './support/pki.mjs';
import { freePort, launchChromium, online, publish, startServer, waitUntil } from './support/realplexor.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const jar = path.resolve(here, '../../../target/realplexor-server.jar');
const iframeHarness = fs.readFileSync(path.join(here, 'support/page.html'));

const PAGE_HOST = 'site.test';
const WAIT_HOST = 'rpl.site.test';
const LIMIT = { timeout: 60000 };

// sdk-js as the server serves it (?identifier=SCRIPT), on the transport the URL names.
const sdkPage = (waitUrl, transport) => `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>sdk-js over h2</title>
<script src="${waitUrl}?identifier=SCRIPT"></script></head>
<body><script>
window.got = [];
var rpl = new Dklab_Realplexor(${JSON.stringify(waitUrl)}, 'h2_', { shared: false, transport: ${JSON.stringify(transport)} });
rpl.subscribe('Chan', function (data, id, cursor) { window.got.push(data); });
rpl.execute();
</script></body></html>`;

let pki;
let pageServer;
let server;
let browser;
let ports;

const listen = (srv, port) => new Promise((resolve) => srv.listen(port, '127.0.0.1', resolve));
const accepts = (port) => new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
});

async function startRealplexor() {
    const s = await startServer({
        jar, waitPort: ports.wait, inPort: ports.in,
        knobs: { WAIT_TLS_ADDR: `127.0.0.1:${ports.tls}`, TLS_CERT_FILE: pki.certFile, TLS_KEY_FILE: pki.keyFile },
    });
    await waitUntil(() => accepts(ports.tls), 'the TLS WAIT port');
    return s;
}

before(async () => {
    pki = makePki([PAGE_HOST, WAIT_HOST, 'localhost']);
    const [pagePort, wait, inPort, tls] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    ports = { wait, in: inPort, tls };
    pageServer = https.createServer({ cert: pki.cert, key: pki.key }, (req, res) => {
        const url = new URL(req.url, `https://${PAGE_HOST}`);
        const headers = { 'Content-Type': 'text/html; charset=utf-8' };
        if (url.pathname === '/sdk') {
            res.writeHead(200, headers).end(sdkPage(`https://${WAIT_HOST}/`, url.searchParams.get('transport')));
        } else if (url.pathname === '/') {
            res.writeHead(200, { ...headers, 'Origin-Agent-Cluster': '?0' }).end(iframeHarness);
        } else {
            res.writeHead(404).end();
        }
    });
    await listen(pageServer, pagePort);
    server = await startRealplexor();
    browser = await launchChromium({ [PAGE_HOST]: pagePort, [WAIT_HOST]: tls },
        [`--ignore-certificate-errors-spki-list=${pki.caSpki}`]);
}, LIMIT);

after(async () => {
    await browser?.close();
    await server?.stop();
    pageServer?.close();
    pki?.remove();
}, LIMIT);

async function listening(id) {
    await waitUntil(async () => (await online(server.inPort, 'h2_'))[id] >= 1, `a listener on ${id}`, 20000);
}

/** Restarts the server process on the same ports, as an operator's restart does. */
async function restart() {
    await server.stop();
    server = await startRealplexor();
}

/**
 * The protocol of every answer from the WAIT host to `page`, as Chromium's network stack
 * reports it (DevTools' Network.responseReceived: an entry as soon as an answer's head
 * arrives, a held EventSource's too). A page's own performance entries show it only for
 * same-origin requests (nextHopProtocol is empty cross-origin without Timing-Allow-Origin,
 * which the WAIT line does not send), so they are checked where the page may see them.
 */
async function watchProtocols(page) {
    const seen = [];
    const cdp = await page.context().newCDPSession(page);
    cdp.on('Network.responseReceived', (e) => {
        if (new URL(e.response.url).host === WAIT_HOST) seen.push({ url: e.response.url, protocol: e.response.protocol });
    });
    // A WebSocket's handshake answer: 101 is HTTP/1.1's (over HTTP/2 it would be a 200 to extended CONNECT).
    cdp.on('Network.webSocketHandshakeResponseReceived', (e) => seen.push({ websocket: true, status: e.response.status }));
    await cdp.send('Network.enable');
    return seen;
}

describe('the WAIT line over HTTP/2 in Chromium', () => {
    test('the original IFRAME client polls as h2 streams; nothing lost or repeated across a restart', LIMIT, async () => {
        const page = await browser.newPage();
        const seen = await watchProtocols(page);
        try {
            await page.goto(`https://${PAGE_HOST}/?wait=${encodeURIComponent(`https://${WAIT_HOST}/`)}`);
            assert.equal(await page.evaluate(() => window.rpl.loaded), 'ready');
            await page.evaluate(() => {
                window.rpl.namespace = 'h2_';
                window.rpl.subscribe('Framed');
                window.rpl.execute();
            });
            await listening('h2_Framed');
            await publish(server.inPort, 'h2_Framed', '"one"');
            await page.waitForFunction(() => window.rpl.received.length >= 1, null, { timeout: 10000 });
            await publish(server.inPort, 'h2_Framed', '"two"');
            await page.waitForFunction(() => window.rpl.received.length >= 2, null, { timeout: 10000 });

            await restart();
            await listening('h2_Framed'); // the client polled again, on the new process
            await publish(server.inPort, 'h2_Framed', '"three"');
            await page.waitForFunction(() => window.rpl.received.length >= 3, null, { timeout: 20000 });
            await publish(server.inPort, 'h2_Framed', '"four"');
            await page.waitForFunction(() => window.rpl.received.length >= 4, null, { timeout: 10000 });
            await new Promise((resolve) => setTimeout(resolve, 500)); // a repeat would arrive now
            assert.deepEqual(await page.evaluate(() => window.rpl.received.map((r) => r.data)),
                ['one', 'two', 'three', 'four']);

            const frame = page.frames().find((f) => f.url().includes('identifier=IFRAME'));
            assert.ok(frame, 'the IFRAME page');
            // The IFRAME document is the WAIT host's own: its navigation entry shows the protocol.
            assert.equal(await frame.evaluate(() => performance.getEntriesByType('navigation')[0].nextHopProtocol), 'h2');
            const polls = seen.filter((e) => !e.url.includes('identifier=IFRAME'));
            assert.ok(polls.length >= 4, `answered polls: ${JSON.stringify(seen)}`);
            for (const e of seen) assert.equal(e.protocol, 'h2', JSON.stringify(e));
        } finally {
            await page.close();
        }
    });

    for (const transport of ['longpoll', 'eventsource']) {
        test(`sdk-js ${transport} runs on h2; nothing lost or repeated across a restart`, LIMIT, async () => {
            const page = await browser.newPage();
            const seen = await watchProtocols(page);
            try {
                await page.goto(`https://${PAGE_HOST}/sdk?transport=${transport}`);
                await listening('h2_Chan');
                await publish(server.inPort, 'h2_Chan', `{"n":1,"t":"${transport}"}`);
                await page.waitForFunction(() => window.got.length >= 1, null, { timeout: 10000 });
                await publish(server.inPort, 'h2_Chan', `{"n":2,"t":"${transport}"}`);
                await page.waitForFunction(() => window.got.length >= 2, null, { timeout: 10000 });

                await restart();
                await listening('h2_Chan');
                await publish(server.inPort, 'h2_Chan', `{"n":3,"t":"${transport}"}`);
                await page.waitForFunction(() => window.got.length >= 3, null, { timeout: 20000 });
                await publish(server.inPort, 'h2_Chan', `{"n":4,"t":"${transport}"}`);
                await page.waitForFunction(() => window.got.length >= 4, null, { timeout: 10000 });
                await new Promise((resolve) => setTimeout(resolve, 500));
                assert.deepEqual(await page.evaluate(() => window.got.map((m) => m.n)), [1, 2, 3, 4]);

                assert.ok(seen.some((e) => e.url.includes('identifier=SCRIPT')), JSON.stringify(seen));
                const polls = seen.filter((e) => !e.url.includes('identifier=SCRIPT'));
                // a poll per answer; an EventSource before and after the restart
                assert.ok(polls.length >= (transport === 'longpoll' ? 4 : 2), JSON.stringify(seen));
                for (const e of seen) assert.equal(e.protocol, 'h2', JSON.stringify(e));
            } finally {
                await page.close();
            }
        });
    }

    test('WebSocket stays on HTTP/1.1 beside h2 (no extended CONNECT offered)', LIMIT, async () => {
        const page = await browser.newPage();
        const seen = await watchProtocols(page);
        const sockets = [];
        page.on('websocket', (ws) => sockets.push(ws.url()));
        try {
            await page.goto(`https://${PAGE_HOST}/sdk?transport=websocket`);
            await listening('h2_Chan');
            await publish(server.inPort, 'h2_Chan', '{"n":"ws"}');
            await page.waitForFunction(() => window.got.length >= 1, null, { timeout: 10000 });
            assert.ok(sockets.length >= 1 && sockets.every((u) => u.startsWith(`wss://${WAIT_HOST}/`)), `${sockets}`);
            assert.equal(seen.find((e) => e.url.includes('identifier=SCRIPT'))?.protocol, 'h2', JSON.stringify(seen));
            const handshakes = seen.filter((e) => e.websocket);
            assert.ok(handshakes.length >= 1 && handshakes.every((e) => e.status === 101),
                `the WebSocket was opened with HTTP/1.1's 101, on a connection of its own: ${JSON.stringify(seen)}`);
        } finally {
            await page.close();
        }
    });
});
