// What the admin page test and the README screenshot share: a server with the admin listener
// behind a login, and some traffic (streams, re-polling long-polls, publishes) to show.
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort, publish, startServer, waitUntil } from './realplexor.mjs';

export const LOGIN = 'ops';
export const PASSWORD = 'secret';

function accepts(port) {
    return new Promise((resolve) => {
        const socket = net.connect(port, '127.0.0.1');
        socket.once('connect', () => { socket.destroy(); resolve(true); });
        socket.once('error', () => resolve(false));
    });
}

/** Starts the server with ADMIN_ADDR on loopback and ADMIN_USERS holding LOGIN ({SHA} hash). */
export async function startAdminServer(jar) {
    const [waitPort, inPort, adminPort] = await Promise.all([freePort(), freePort(), freePort()]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpl-admin-'));
    const admins = path.join(dir, 'admins.htpasswd');
    const sha = crypto.createHash('sha1').update(PASSWORD).digest('base64');
    fs.writeFileSync(admins, `${LOGIN}:{SHA}${sha}\n`);
    const server = await startServer({
        jar, waitPort, inPort,
        knobs: { ADMIN_ADDR: `127.0.0.1:${adminPort}`, ADMIN_USERS: admins },
    });
    await waitUntil(() => accepts(adminPort), 'the admin listener', 10000);
    const stop = server.stop;
    return {
        ...server,
        adminPort,
        adminUrl: `http://127.0.0.1:${adminPort}/`,
        async stop() {
            await stop();
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}

/**
 * Listeners and publishes until stop(): an SSE stream per id in `streamIds`, a long-poll that
 * polls again after each answer per id in `pollIds`, and a publish to every id each `everyMs`.
 */
export function traffic(server, { streamIds, pollIds, everyMs = 250 }) {
    const sockets = new Set();
    let stopped = false;
    const open = (id, head) => {
        if (stopped) return;
        const s = net.connect(server.waitPort, '127.0.0.1', () => s.write(`GET /?identifier=${id} HTTP/1.1\r\nHost: x\r\n${head}\r\n`));
        sockets.add(s);
        s.on('data', () => {});
        s.on('error', () => {});
        s.on('close', () => { sockets.delete(s); if (!stopped) setTimeout(() => open(id, head), 20); });
    };
    for (const id of streamIds) open(id, 'Accept: text/event-stream\r\n');
    for (const id of pollIds) open(id, '');
    const all = [...streamIds, ...pollIds];
    let n = 0;
    const timer = setInterval(() => {
        const some = all.filter(() => Math.random() < 0.5).join(',') || all[0];
        publish(server.inPort, some, JSON.stringify({ n: n++ })).catch(() => {});
    }, everyMs);
    return {
        stop() {
            stopped = true;
            clearInterval(timer);
            for (const s of sockets) s.destroy();
        },
    };
}
