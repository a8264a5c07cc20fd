// Builds dist/ from src/: the drop-in global script (readable and minified) and one ES
// module file. Run from anywhere: node scripts/build.mjs
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const common = {
  bundle: true,
  target: 'es2017',
  legalComments: 'none',
  logLevel: 'warning',
  banner: { js: `/* dklab-realplexor ${version}: browser client for Realplexor */` },
};

await Promise.all([
  build({ ...common, entryPoints: [join(root, 'src/global.mjs')], format: 'iife', outfile: join(root, 'dist/dklab_realplexor.js') }),
  build({ ...common, entryPoints: [join(root, 'src/global.mjs')], format: 'iife', minify: true, outfile: join(root, 'dist/dklab_realplexor.min.js') }),
  build({ ...common, entryPoints: [join(root, 'src/index.mjs')], format: 'esm', outfile: join(root, 'dist/realplexor.mjs') }),
]);
