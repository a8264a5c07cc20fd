// The real server as a child process, and the IN-line requests the tests make (raw bytes over
// node's net module, as the original PHP API sends them: request, half-close, read to EOF).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export function freePort() {
    return new Promise((resolve, reject) => {
        const probe = net.createServer();
        probe.once('error', reject);
        probe.listen(0, '127.0.0.1', () => {
            const { port } = probe.address();
            probe.close(() => resolve(port));
        });
    });
}

export async function waitUntil(condition, what, timeoutMs = 10000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = await condition();
        if (value) return value;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
    }
}

function accepts(port) {
    return new Promise((resolve) => {
        const socket = net.connect(port, '127.0.0.1');
        socket.once('connect', () => { socket.destroy(); resolve(true); });
        socket.once('error', () => resolve(false));
    });
}

/**
 * Starts `java -jar JAR --set KEY=VALUE ...` on the given WAIT and IN ports (guests allowed)
 * and resolves once both ports accept connections.
 */
export async function startServer({ jar, waitPort, inPort, knobs = {} }) {
    if (!fs.existsSync(jar)) throw new Error(`server jar not found: ${jar} (build the server first)`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpl-iframe-'));
    const usersFile = path.join(dir, 'users.htpasswd');
    fs.writeFileSync(usersFile, ':\n');
    const all = { WAIT_ADDR: `127.0.0.1:${waitPort}`, IN_ADDR: `127.0.0.1:${inPort}`, USERS_FILE: usersFile, ...knobs };
    const args = ['-jar', jar];
    for (const [key, value] of Object.entries(all)) args.push('--set', `${key}=${value}`);
    const child = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    const keep = (chunk) => { log = (log + chunk).slice(-20000); };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let exited = null;
    child.once('exit', (code, signal) => { exited = `exited with ${code ?? signal}`; });
    try {
        await waitUntil(async () => {
            if (exited) throw new Error(`server ${exited}:\n${log}`);
            return (await accepts(inPort)) && (await accepts(waitPort));
        }, 'the server to listen', 30000);
    } catch (e) {
        child.kill('SIGKILL');
        throw e;
    }
    return {
        waitPort,
        inPort,
        log: () => log,
        async stop() {
            if (!exited) {
                const gone = new Promise((resolve) => child.once('exit', resolve));
                child.kill('SIGTERM');
                const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
                await gone;
                clearTimeout(timer);
            }
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}

/** Sends bytes to the IN line, half-closes, and resolves with everything read until close. */
export function inRequest(port, bytes) {
    return new Promise((resolve, reject) => {
        const chunks = [];
        const socket = net.connect(port, '127.0.0.1', () => socket.end(bytes));
        socket.on('data', (chunk) => chunks.push(chunk));
        socket.once('error', reject);
        socket.once('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
}

function post(header, body) {
    const bytes = Buffer.from(body, 'utf8');
    return `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${bytes.length}\r\n${header}\r\n${body}`;
}

/** Publishes `data` to the identifier list; resolves with { id: cursor } from the answer. */
export async function publish(port, identifiers, data) {
    const answer = await inRequest(port, post(`X-Realplexor: identifier=${identifiers}\r\n`, data));
    const [head, body = ''] = answer.split('\r\n\r\n');
    if (!/^HTTP\/1\.[01] 200 /.test(head)) throw new Error(`publish failed: ${JSON.stringify(answer)}`);
    const cursors = {};
    for (const line of body.split('\n')) {
        const [id, cursor] = line.split(' ');
        if (id) cursors[id] = cursor;
    }
    return cursors;
}

/** ONLINE with counters: resolves with { id: listening connections }. */
export async function online(port, prefix) {
    const answer = await inRequest(port, post('', `ONLINE ${prefix}`));
    const body = answer.split('\r\n\r\n')[1] ?? '';
    const counts = {};
    for (const line of body.split('\n')) {
        const [id, count] = line.split(' ');
        if (id) counts[id] = Number(count);
    }
    return counts;
}

/**
 * Debian's Chromium as every suite runs it: headless as root (no sandbox), nothing fetched from
 * outside (this machine's network is closed), each test host name mapped to a local port.
 *
 * @param hosts     host name to local port, e.g. { 'rpl.test': 8088 }
 * @param extraArgs further Chromium flags
 */
export function launchChromium(hosts = {}, extraArgs = []) {
    const rules = Object.entries(hosts).map(([host, port]) => `MAP ${host} 127.0.0.1:${port}`).join(', ');
    return chromium.launch({
        executablePath: '/usr/bin/chromium',
        args: [
            '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
            '--disable-background-networking', '--disable-component-update', '--disable-sync',
            ...(rules ? [`--host-resolver-rules=${rules}`] : []),
            ...extraArgs,
        ],
    });
}
