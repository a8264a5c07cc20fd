// Starts what the chat sandbox runs on, as real processes: the Realplexor server jar, the
// chat back end jar, and headless Debian Chromium (never a downloaded browser).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const SERVER_JAR = process.env.REALPLEXOR_JAR || join(repo, 'server', 'target', 'realplexor-server.jar');
export const CHAT_JAR = process.env.CHAT_JAR || join(repo, 'examples', 'chat', 'target', 'realplexor-example-chat.jar');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

// Resolves once `check` returns something truthy, checking every `every` ms.
export async function until(check, what, timeout = 10000, every = 50) {
  const end = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error('timed out waiting for ' + what);
    await new Promise((r) => setTimeout(r, every));
  }
}

function freePort() {
  return new Promise((res, rej) => {
    const s = net.createServer().on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

const accepts = (port) =>
  new Promise((res) => {
    const s = net.connect(port, '127.0.0.1');
    s.on('connect', () => { s.destroy(); res(true); });
    s.on('error', () => res(false));
  });

function requireJar(jar, build) {
  if (!existsSync(jar)) throw new Error(`${jar} is missing: build it first (${build})`);
}

// A java process whose output is kept for error messages.
function java(args) {
  // C1 only: these JVMs live for seconds, and start in about half the time.
  const proc = spawn('java', ['-XX:TieredStopAtLevel=1', ...args], { cwd: tmpdir(), stdio: ['ignore', 'pipe', 'pipe'] });
  proc.output = '';
  proc.stdout.on('data', (d) => (proc.output += d));
  proc.stderr.on('data', (d) => (proc.output += d));
  proc.exited = new Promise((r) => proc.on('exit', r));
  proc.check = () => {
    if (proc.exitCode !== null) throw new Error(`java ${args.join(' ')} exited:\n${proc.output}`);
  };
  return proc;
}

async function stop(proc) {
  if (!proc || proc.exitCode !== null) return;
  proc.kill('SIGTERM');
  const killer = setTimeout(() => proc.kill('SIGKILL'), 3000);
  await proc.exited;
  clearTimeout(killer);
}

/**
 * Starts the server on free ports and the chat back end pointed at it; resolves to
 * { url (the page), waitUrl, send(json), online(), stop() }.
 */
export async function startChat() {
  requireJar(SERVER_JAR, 'from the repository root: mvn -q -pl server -am package -DskipTests');
  requireJar(CHAT_JAR, 'from the repository root: mvn -q -pl examples/chat -am package -DskipTests');
  const [waitPort, inPort] = [await freePort(), await freePort()];
  const server = java(['-jar', SERVER_JAR, '--set', `WAIT_ADDR=127.0.0.1:${waitPort}`, '--set', `IN_ADDR=127.0.0.1:${inPort}`]);
  const waitUrl = `http://127.0.0.1:${waitPort}/`;
  // The back end binds port 0 and prints the URL it serves: no race for a port.
  const chat = java(['-jar', CHAT_JAR, '--port', '0', '--rpl-in', `127.0.0.1:${inPort}`, '--rpl-wait', waitUrl]);
  try {
    await until(async () => {
      server.check();
      return (await accepts(inPort)) && (await accepts(waitPort));
    }, 'the Realplexor server to listen', 30000);
    const url = await until(() => {
      chat.check();
      return /serving (http:\/\/\S+)/.exec(chat.output)?.[1];
    }, 'the chat back end to start', 30000);
    return {
      url,
      waitUrl,
      // POST /send with a JSON body; resolves to { status, body }.
      async send(message) {
        const res = await fetch(new URL('send', url), {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(message),
        });
        return { status: res.status, body: await res.json() };
      },
      async online() {
        const res = await fetch(new URL('online', url));
        if (!res.ok) throw new Error('GET /online answered ' + res.status);
        return res.json();
      },
      stop: () => Promise.all([stop(chat), stop(server)]),
    };
  } catch (e) {
    await Promise.all([stop(chat), stop(server)]);
    throw e;
  }
}

export function launchChromium() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}
