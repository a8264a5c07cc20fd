// The shipped files: the drop-in global, the ES module, the declarations.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import vm from 'node:vm';
import Default, { Dklab_Realplexor } from '../../dist/realplexor.mjs';

const dist = (name) => readFileSync(new URL('../../dist/' + name, import.meta.url), 'utf8');
const METHODS = ['logon', 'setCursor', 'subscribe', 'unsubscribe', 'execute'];

test('the global files define Dklab_Realplexor for a <script> tag', () => {
  for (const file of ['dklab_realplexor.js', 'dklab_realplexor.min.js']) {
    const sandbox = { URL, console };
    sandbox.globalThis = sandbox;
    vm.runInNewContext(dist(file), sandbox);
    const rpl = new sandbox.Dklab_Realplexor('http://rpl.example.com/', 'demo_');
    for (const m of METHODS) assert.equal(typeof rpl[m], 'function', file + ' ' + m);
  }
});

test('the global files can be served as the server\'s SCRIPT template', () => {
  // The server replaces every $name in its SCRIPT_FILE by a setting.
  for (const file of ['dklab_realplexor.js', 'dklab_realplexor.min.js']) assert.doesNotMatch(dist(file), /\$[a-z]/i, file);
});

test('the ES module exports the class by name and as default; calls chain', () => {
  assert.equal(Default, Dklab_Realplexor);
  const rpl = new Dklab_Realplexor('https://rpl.example.com/?0', 'demo_', true);
  const cb = () => {};
  assert.equal(rpl.logon('user').setCursor('a', 0).subscribe('a', cb).unsubscribe('a', cb).unsubscribe('b', null), rpl);
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  assert.equal(rpl.version, pkg.version);
  assert.match(dist('dklab_realplexor.min.js'), new RegExp('dklab-realplexor ' + pkg.version.replace(/\./g, '\\.')));
});

test('bad arguments fail at construction', () => {
  assert.throws(() => new Dklab_Realplexor('ftp://rpl.example.com/'), /http/);
  assert.throws(() => new Dklab_Realplexor('not a url'), /http/);
  assert.throws(() => new Dklab_Realplexor('http://rpl.example.com/', '', { transport: 'smoke' }), /unknown transport/);
});

test('the declarations cover the public API', () => {
  const dts = readFileSync(new URL('../../index.d.ts', import.meta.url), 'utf8');
  for (const m of METHODS) assert.match(dts, new RegExp('\\b' + m + '(<[^>]*>)?\\('), m);
  assert.match(dts, /export default Dklab_Realplexor/);
});
