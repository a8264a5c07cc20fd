// A throw-away CA and one server certificate made with the openssl command for each run
// (valid for two days, never checked in), as the server's TLS tests do (TestPki.java).
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function openssl(dir, ...args) {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * Makes ca.pem/ca.key and server.pem (leaf then CA) / server.key for the given DNS names
 * and 127.0.0.1. Returns the paths, the PEM texts and the base64 SHA-256 of each one's
 * SubjectPublicKeyInfo (what Chromium's --ignore-certificate-errors-spki-list takes).
 */
export function makePki(names) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpl-pki-'));
    openssl(dir, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem',
        '-days', '2', '-subj', '/CN=Realplexor browser test CA');
    openssl(dir, 'genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'server.key');
    openssl(dir, 'req', '-new', '-key', 'server.key', '-out', 'server.csr', '-subj', `/CN=${names[0]}`);
    const san = [...names.map((n) => `DNS:${n}`), 'IP:127.0.0.1'].join(',');
    fs.writeFileSync(path.join(dir, 'server.ext'), `subjectAltName=${san}\n`);
    openssl(dir, 'x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', '4242',
        '-days', '2', '-out', 'server.leaf', '-extfile', 'server.ext');
    const read = (f) => fs.readFileSync(path.join(dir, f), 'utf8');
    fs.writeFileSync(path.join(dir, 'server.pem'), read('server.leaf') + read('ca.pem'));
    const spki = (pem) => crypto.createHash('sha256')
        .update(new crypto.X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' }))
        .digest('base64');
    return {
        dir,
        caFile: path.join(dir, 'ca.pem'),
        certFile: path.join(dir, 'server.pem'),
        keyFile: path.join(dir, 'server.key'),
        ca: read('ca.pem'),
        cert: read('server.pem'),
        key: read('server.key'),
        caSpki: spki(read('ca.pem')),
        leafSpki: spki(read('server.leaf')),
        remove: () => fs.rmSync(dir, { recursive: true, force: true }),
    };
}
