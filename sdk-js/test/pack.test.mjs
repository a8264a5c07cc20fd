// What `npm publish` would ship, checked the way a user meets it: `npm pack` into a temp
// folder, the tarball installed offline into a fresh app, the package imported by name.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const work = mkdtempSync(join(tmpdir(), 'realplexor-pack-'));
// A cache of its own: the shared one is neither read nor written.
const env = { ...process.env, npm_config_cache: join(work, 'cache'), npm_config_update_notifier: 'false' };
const run = (args, cwd) => execFileSync(npm, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

let packed; // npm pack --json's entry: filename and files
let app;

before(() => {
  packed = JSON.parse(run(['pack', '--json', '--pack-destination', work], root))[0];
  app = join(work, 'app');
  execFileSync('mkdir', [app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  run(['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', join(work, packed.filename)], app);
}, { timeout: 120_000 });

after(() => rmSync(work, { recursive: true, force: true }));

test('the tarball holds the builds, the types, the license and the readme', () => {
  const files = packed.files.map((f) => f.path);
  for (const f of ['dist/realplexor.mjs', 'dist/dklab_realplexor.js', 'dist/dklab_realplexor.min.js',
    'index.d.ts', 'LICENSE', 'README.md', 'package.json']) assert.ok(files.includes(f), f + ' missing from ' + files);
  assert.ok(!files.some((f) => f.startsWith('test/') || f.startsWith('node_modules/') || f.startsWith('scripts/')), files.join(' '));
});

test('the package names its repository and license and needs nothing at run time', () => {
  assert.equal(pkg.license, 'MIT');
  assert.match(pkg.repository.url, /^git\+https:\/\//);
  assert.equal(pkg.repository.directory, 'sdk-js');
  assert.equal(pkg.dependencies, undefined, 'runtime dependencies would need the network to install');
  assert.equal(readFileSync(join(root, 'LICENSE'), 'utf8'), readFileSync(join(root, '../LICENSE'), 'utf8'),
    'sdk-js/LICENSE must be a copy of the repository\'s LICENSE');
});

test('an app imports the installed package by name; the global build and types are there', () => {
  const installed = join(app, 'node_modules', pkg.name);
  writeFileSync(join(app, 'main.mjs'), `
    import Default, { Dklab_Realplexor } from '${pkg.name}';
    import { createRequire } from 'node:module';
    const rpl = new Dklab_Realplexor('https://rpl.example.com/', 'demo_');
    const require = createRequire(import.meta.url);
    console.log(JSON.stringify({ same: Default === Dklab_Realplexor, version: rpl.version,
      global: require.resolve('${pkg.name}/global') }));`);
  const out = JSON.parse(execFileSync(process.execPath, ['main.mjs'], { cwd: app, encoding: 'utf8' }));
  assert.deepEqual(out, { same: true, version: pkg.version, global: join(installed, 'dist/dklab_realplexor.js') });
  for (const f of ['dist/dklab_realplexor.js', 'dist/dklab_realplexor.min.js', 'index.d.ts', 'LICENSE']) {
    assert.ok(existsSync(join(installed, f)), f);
  }
});
