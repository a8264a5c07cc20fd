// What the browser tests run against: the real server as a process, its IN line spoken
// to over raw TCP, a small server for the test pages, TCP proxies, and Chromium.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
export const JAR = process.env.REALPLEXOR_JAR || join(root, '..', 'server', 'target', 'realplexor-server.jar');

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// Resolves once `check` returns something truthy; checks every `every` ms.
export async function until(check, what, timeout = 15000, every = 50) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting for ' + what);
    await new Promise((r) => setTimeout(r, every));
  }
}

const accepts = (port) =>
  new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.on('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });

// The server on fixed ports, so that it can be killed and started again in its place.
export class ServerProcess {
  constructor(knobs = {}) {
    this.knobs = knobs;
    this.proc = null;
    this.output = '';
  }

  async start() {
    if (!existsSync(JAR)) throw new Error('server jar not found: ' + JAR + ' (build the server first, or set REALPLEXOR_JAR)');
    if (!this.waitPort) [this.waitPort, this.inPort] = [await freePort(), await freePort()];
    const knobs = { WAIT_ADDR: '127.0.0.1:' + this.waitPort, IN_ADDR: '127.0.0.1:' + this.inPort, ...this.knobs };
    // C1 only: the JVM starts in about half the time, which restart tests wait for.
    const args = [...(process.env.REALPLEXOR_JAVA_OPTS || '-XX:TieredStopAtLevel=1').split(' ').filter(Boolean), '-jar', JAR];
    for (const [k, v] of Object.entries(knobs)) args.push('--set', k + '=' + v);
    const proc = (this.proc = spawn('java', args, { cwd: tmpdir(), stdio: ['ignore', 'pipe', 'pipe'] }));
    proc.stdout.on('data', (d) => (this.output += d));
    proc.stderr.on('data', (d) => (this.output += d));
    proc.exited = new Promise((resolve) => proc.on('exit', resolve));
    await until(async () => {
      if (proc.exitCode !== null) throw new Error('server exited: ' + this.output);
      return (await accepts(this.inPort)) && (await accepts(this.waitPort));
    }, 'the server to listen', 30000);
    return this;
  }

  async kill() {
    if (!this.proc) return;
    const proc = this.proc;
    this.proc = null;
    proc.kill('SIGKILL');
    await proc.exited;
  }

  async restart() {
    await this.kill();
    return this.start();
  }
}

// One raw request on the IN line; resolves to the answer's body.
function inRequest(port, bytes) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    const chunks = [];
    s.on('data', (d) => chunks.push(d));
    s.on('error', reject);
    s.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const head = text.split('\r\n', 1)[0];
      if (!/^HTTP\/1\.[01] 200 /.test(head)) return reject(new Error('IN answered: ' + text));
      resolve(text.slice(text.indexOf('\r\n\r\n') + 4));
    });
    s.end(bytes); // the way the original PHP API sends: write, then half-close
  });
}

// Publish raw bytes (normally JSON) to "id,id,..." -> {id: cursor} of every stored target.
export async function publish(server, ids, body) {
  const data = Buffer.from(body);
  const head = `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${data.length}\r\nX-Realplexor: identifier=${ids}\r\n\r\n`;
  const answer = await inRequest(server.inPort, Buffer.concat([Buffer.from(head), data]));
  const cursors = {};
  for (const line of answer.split('\n')) if (line) cursors[line.split(' ')[0]] = line.split(' ')[1];
  return cursors;
}

// {id: listener count} of the ids online now.
export async function online(server) {
  const body = await inRequest(server.inPort, 'ONLINE\n');
  const out = {};
  for (const line of body.split('\n')) if (line) out[line.split(' ')[0]] = Number(line.split(' ')[1]);
  return out;
}

// Waits until every id has exactly `count` listening connections (a browser is connected).
export function listening(server, ids, count = 1) {
  return until(async () => {
    const now = await online(server);
    return ids.every((id) => now[id] === count);
  }, ids.join(',') + ' listened by ' + count + ' connection(s)');
}

const TYPES = { html: 'text/html', js: 'text/javascript', mjs: 'text/javascript' };
const FILES = {
  '/dklab_realplexor.js': join(root, 'dist', 'dklab_realplexor.js'),
  '/realplexor.mjs': join(root, 'dist', 'realplexor.mjs'),
};

// Serves test/browser/pages/* and the built client files. In pages, %RPL% becomes the
// query's rpl (the WAIT URL) and %SCRIPT% its script (default: the built global file),
// the way the original demo's PHP wrote them in.
export async function pageServer() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const file = FILES[url.pathname] || join(here, 'pages', url.pathname.replace(/[^\w.]/g, ''));
    if (!existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    const type = file.split('.').pop();
    let body = readFileSync(file);
    if (type === 'html') {
      const q = url.searchParams;
      body = body.toString().replace(/%RPL%/g, q.get('rpl')).replace(/%SCRIPT%/g, q.get('script') || '/dklab_realplexor.js');
    }
    res.writeHead(200, { 'Content-Type': TYPES[type] + '; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(body);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  server.port = server.address().port;
  return server;
}

// A TCP proxy to `port` whose connections can be cut (a network drop) and whose request
// heads can be rewritten before they reach the server.
export async function tcpProxy(port, rewriteHead = (h) => h) {
  const sockets = new Set();
  const server = net.createServer((client) => {
    const upstream = net.connect(port, '127.0.0.1');
    sockets.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    let head = Buffer.alloc(0);
    const onHead = (d) => {
      head = Buffer.concat([head, d]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      client.off('data', onHead);
      upstream.write(rewriteHead(head.subarray(0, end + 4).toString('latin1')), 'latin1');
      upstream.write(head.subarray(end + 4));
      client.pipe(upstream);
      upstream.pipe(client);
    };
    client.on('data', onHead);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  server.port = server.address().port;
  server.cut = () => {
    for (const s of sockets) s.destroy();
    sockets.clear();
  };
  server.stop = () => {
    server.cut();
    return new Promise((r) => server.close(r));
  };
  return server;
}

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--host-resolver-rules=MAP page.test 127.0.0.1, MAP rpl.test 127.0.0.1',
    ],
  });
}

// Every connection a page opens to the Realplexor host, as 'websocket', 'eventsource',
// 'fetch GET' or 'fetch POST'.
export function watchNetwork(page, host) {
  const seen = [];
  page.on('websocket', (ws) => ws.url().includes(host) && seen.push('websocket'));
  page.on('request', (req) => {
    if (!req.url().includes(host)) return;
    const type = req.resourceType();
    seen.push(type === 'eventsource' ? 'eventsource' : type === 'fetch' ? 'fetch ' + req.method() : type);
  });
  return seen;
}
