// Builds dist/lambda.js and dist/lambda-photos.js (what the CDK stack deploys) and dist/server.js
// (the local server). Usage: node scripts/bundle.mjs [lambda|lambda-photos|server]...
import { writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const options = require('../bundle-options.cjs');
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const targets =
  process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['lambda', 'lambda-photos', 'server'];

mkdirSync(join(root, 'dist'), { recursive: true });
for (const target of targets) {
  const outfile = join(root, 'dist', `${target}.js`);
  const result = await options.buildBundle(target, { outfile });
  writeFileSync(join(root, 'dist', `${target}.meta.json`), JSON.stringify(result.metafile));
}
