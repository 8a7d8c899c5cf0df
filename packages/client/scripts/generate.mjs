// Regenerates the client's contract from the service: openapi.json (the document the service
// serves, as deployed: AUTH_MODE=jwt) and src/schema.ts (its TypeScript types, by
// openapi-typescript). A test runs the same steps and fails when the committed files differ.
// Usage: node scripts/generate.mjs [output dir, default: this package]
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(dirname(fileURLToPath(import.meta.url)));
const out = resolve(process.argv[2] ?? here);
const http = join(here, '../adapters-http');

const document = execFileSync(
  process.execPath,
  ['--import', 'tsx', 'scripts/openapi-document.ts', 'jwt'],
  { cwd: http, encoding: 'utf8' },
);
mkdirSync(join(out, 'src'), { recursive: true });
writeFileSync(join(out, 'openapi.json'), document);
execFileSync(
  process.execPath,
  [
    join(here, 'node_modules/openapi-typescript/bin/cli.js'),
    join(out, 'openapi.json'),
    '--output',
    join(out, 'src/schema.ts'),
    '--root-types',
  ],
  { stdio: 'pipe' },
);
