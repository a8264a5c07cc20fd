// The WAIT line's TLS port in a real browser, with no proxy in front: Debian's Chromium loads
// pages over https:// (a small Node https server with a certificate from a CA made for this
// run) that listen on the server's own WAIT_TLS_ADDR, while the test publishes on IN.
//
// Chromium trusts the run's CA through --ignore-certificate-errors-spki-list with the CA's
// SPKI hash, not a blanket --ignore-certificate-errors: a certificate from any other issuer
// still fails (checked below).
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
const STRANGER_HOST = 'stranger.test';   // an https server whose certificate the browser must refuse
const LIMIT = { timeout: 60000 };

// A page using sdk-js as the server serves it (?identifier=SCRIPT), over the TLS WAIT port.
const sdkPage = (waitUrl) => `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>sdk-js over TLS</title>
<script src="${waitUrl}?identifier=SCRIPT"></script></head>
<body><script>
window.got = [];
var rpl = new Dklab_Realplexor(${JSON.stringify(waitUrl)}, 'demo_', { shared: false });
rpl.subscribe('Secure', function (data, id, cursor) { window.got.push({ data: data, id: id, cursor: cursor }); });
rpl.execute();
</script></body></html>`;

let pki;
let pageServer;
let strangerPki;
let strangerServer;
let server;
let browser;
let tlsWaitPort;

const listen = (srv, port) => new Promise((resolve) => srv.listen(port, '127.0.0.1', resolve));

const accepts = (port) => new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
});

before(async () => {
    pki = makePki([PAGE_HOST, WAIT_HOST, 'localhost']);
    strangerPki = makePki([STRANGER_HOST]);
    const [pagePort, strangerPort, waitPort, inPort, waitTls] =
        await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
    tlsWaitPort = waitTls;
    pageServer = https.createServer({ cert: pki.cert, key: pki.key }, (req, res) => {
        const url = new URL(req.url, `https://${PAGE_HOST}`);
        const headers = { 'Content-Type': 'text/html; charset=utf-8' };
        if (url.pathname === '/sdk') {
            res.writeHead(200, headers).end(sdkPage(`https://${WAIT_HOST}/`));
        } else if (url.pathname === '/') {
            // Without this header Chromium ignores document.domain (see iframe.test.mjs).
            res.writeHead(200, { ...headers, 'Origin-Agent-Cluster': '?0' }).end(iframeHarness);
        } else {
            res.writeHead(404).end();
        }
    });
    strangerServer = https.createServer({ cert: strangerPki.cert, key: strangerPki.key },
        (req, res) => res.writeHead(200).end('should not be reached'));
    await Promise.all([listen(pageServer, pagePort), listen(strangerServer, strangerPort)]);
    server = await startServer({
        jar, waitPort, inPort,
        knobs: {
            WAIT_TLS_ADDR: `127.0.0.1:${waitTls}`,
            TLS_CERT_FILE: pki.certFile,
            TLS_KEY_FILE: pki.keyFile,
        },
    });
    await waitUntil(() => accepts(waitTls), 'the TLS WAIT port');
    // Port 443 of each name goes to the local test port: the original client needs a page
    // host without a port (document.domain takes none).
    browser = await launchChromium({ [PAGE_HOST]: pagePort, [WAIT_HOST]: waitTls, [STRANGER_HOST]: strangerPort }, [`--ignore-certificate-errors-spki-list=${pki.caSpki}`]);
}, LIMIT);

after(async () => {
    await browser?.close();
    await server?.stop();
    pageServer?.close();
    strangerServer?.close();
    pki?.remove();
    strangerPki?.remove();
}, LIMIT);

async function listening(ids) {
    await waitUntil(async () => {
        const counts = await online(server.inPort, 'demo_');
        return ids.every((id) => counts[id] >= 1);
    }, `listeners on ${ids}`);
}

describe('WAIT over TLS in Chromium', () => {
    test('a certificate from another CA is refused: the SPKI list trusts only the run\'s CA', LIMIT, async () => {
        const page = await browser.newPage();
        try {
            await assert.rejects(page.goto(`https://${STRANGER_HOST}/`), /ERR_CERT_AUTHORITY_INVALID/);
        } finally {
            await page.close();
        }
    });

    test('sdk-js served by the TLS WAIT port hears a publish over wss:// from an https:// page', LIMIT, async () => {
        const page = await browser.newPage();
        const sockets = [];
        const requests = [];
        page.on('websocket', (ws) => sockets.push(ws.url()));
        page.on('request', (r) => requests.push(r.url()));
        try {
            await page.goto(`https://${PAGE_HOST}/sdk`);
            assert.equal(await page.evaluate(() => location.protocol), 'https:');
            assert.equal(await page.evaluate(() => typeof Dklab_Realplexor), 'function',
                'the SCRIPT answer came over https and defined the client');
            await listening(['demo_Secure']);
            const cursors = await publish(server.inPort, 'demo_Secure', '{"over":"tls"}');
            await page.waitForFunction(() => window.got.length >= 1, null, { timeout: 10000 });
            assert.deepEqual(await page.evaluate(() => window.got),
                [{ data: { over: 'tls' }, id: 'Secure', cursor: cursors.demo_Secure }]);
            assert.ok(requests.includes(`https://${WAIT_HOST}/?identifier=SCRIPT`), `requests: ${requests}`);
            assert.ok(sockets.length >= 1, 'the transport is a WebSocket');
            for (const url of sockets) assert.match(url, new RegExp(`^wss://${WAIT_HOST}/\\?identifier=`));
        } finally {
            await page.close();
        }
    });

    test('the original IFRAME mode works straight against the TLS WAIT port', LIMIT, async () => {
        const page = await browser.newPage();
        const polls = [];
        page.on('request', (request) => {
            const url = new URL(request.url());
            if (url.host === WAIT_HOST && !url.search.includes('identifier=IFRAME')) polls.push(url);
        });
        try {
            const iframeAnswer = page.waitForResponse((r) => r.url().includes('identifier=IFRAME'));
            await page.goto(`https://${PAGE_HOST}/?wait=${encodeURIComponent(`https://${WAIT_HOST}/`)}`);
            const answer = await iframeAnswer;
            assert.match(answer.url(), new RegExp(`^https://${WAIT_HOST}/\\?identifier=IFRAME&HOST=${PAGE_HOST}&`));
            assert.equal(answer.headers()['origin-agent-cluster'], '?0');
            assert.equal(await page.evaluate(() => window.rpl.loaded), 'ready',
                'the https page reaches the https IFRAME loader through document.domain');
            await page.evaluate(() => {
                window.rpl.namespace = 'demo_';
                window.rpl.subscribe('Framed');
                window.rpl.execute();
            });
            await listening(['demo_Framed']);
            const first = await publish(server.inPort, 'demo_Framed', '"one"');
            await page.waitForFunction(() => window.rpl.received.length >= 1, null, { timeout: 10000 });
            const second = await publish(server.inPort, 'demo_Framed', '"two"');
            await page.waitForFunction(() => window.rpl.received.length >= 2, null, { timeout: 10000 });
            assert.deepEqual(await page.evaluate(() => window.rpl.received), [
                { id: 'Framed', data: 'one', cursor: first.demo_Framed, by: 'main' },
                { id: 'Framed', data: 'two', cursor: second.demo_Framed, by: 'main' },
            ]);
            assert.ok(polls.length >= 2, 'a poll per answer');
            for (const url of polls) assert.equal(url.protocol, 'https:');
        } finally {
            await page.close();
        }
    });
});
