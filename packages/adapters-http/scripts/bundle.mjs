// Builds dist/lambda.js and dist/lambda-photos.js (what the CDK stack deploys) and dist/server.js
// (the local server). Usage: node scripts/bundle.mjs [lambda|lambda-photos|server]...
// With PROFILE_SCHEMAS_FILE set, the declared metadata schemas are compiled first (ajv's
// standalone code, dist/metadata-validators-*.cjs) and bundled in place of the module of none.
import { writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const options = require('../bundle-options.cjs');
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const targets =
  process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['lambda', 'lambda-photos', 'server'];

mkdirSync(join(root, 'dist'), { recursive: true });
const validatorsFile = await compileSchemas(process.env.PROFILE_SCHEMAS_FILE?.trim());
for (const target of targets) {
  const outfile = join(root, 'dist', `${target}.js`);
  const result = await options.buildBundle(target, { outfile }, validatorsFile);
  writeFileSync(join(root, 'dist', `${target}.meta.json`), JSON.stringify(result.metafile));
}

/** The validators module of the schemas file (relative to where the command was started), if any. */
async function compileSchemas(file) {
  if (!file) return undefined;
  // The compiler is TypeScript source of the workspace: loaded through tsx, at build time only.
  const { tsImport } = await import('tsx/esm/api');
  const { writeValidatorsModule } = await tsImport(
    '@userprofile/adapters-json-schema/compile',
    import.meta.url,
  );
  try {
    return writeValidatorsModule(
      resolve(process.env.INIT_CWD ?? process.cwd(), file),
      join(root, 'dist'),
    );
  } catch (error) {
    console.error(`PROFILE_SCHEMAS_FILE: ${error.message}`);
    process.exit(1);
  }
}
