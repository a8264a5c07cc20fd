// Takes docs/admin-status.png, the README's picture of the admin status page: a real server
// with some traffic, the page in Debian's Chromium. Run after building the jar:
//   node server/src/test/browser/admin-screenshot.mjs [OUT.png]
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { LOGIN, PASSWORD, startAdminServer, traffic } from './support/admin.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const jar = path.resolve(here, '../../../target/realplexor-server.jar');
const out = path.resolve(process.argv[2] ?? path.join(here, '../../../../docs/admin-status.png'));
const seconds = Number(process.env.WARMUP_SECONDS ?? 75);

const server = await startAdminServer(jar);
const rooms = Array.from({ length: 40 }, (_, i) => `chat_room_${i + 1}`);
const users = Array.from({ length: 25 }, (_, i) => `user_${1000 + i}`);
const load = traffic(server, { streamIds: rooms, pollIds: users, everyMs: 60 });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
    const context = await browser.newContext({
        httpCredentials: { username: LOGIN, password: PASSWORD }, viewport: { width: 1320, height: 1000 },
    });
    const page = await context.newPage();
    await page.goto(server.adminUrl);
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    await page.screenshot({ path: out, fullPage: true });
    console.log(`wrote ${out}`);
} finally {
    load.stop();
    await browser.close();
    await server.stop();
}
