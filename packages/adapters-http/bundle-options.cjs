// esbuild options for the deployable bundles, shared by scripts/bundle.mjs, the bundle tests, the
// benchmark and the CDK stack (which passes the same choices to NodejsFunction and runs the same
// post-build step after it), so all of them build one thing.
const path = require('node:path');

/** @type {import('esbuild').BuildOptions} */
const lambda = {
  entryPoints: [path.join(__dirname, 'src/lambda.ts')],
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  mainFields: ['module', 'main'],
  // import() of a built-in (the SDK's lazy https) becomes require(): one module system, and the
  // code-cache loader's vm.Script needs no dynamic-import callback.
  supported: { 'dynamic-import': false },
  metafile: true,
  logLevel: 'warning',
  // Never loaded at run time: app.ts gives Fastify its own (no-op) schema compilers.
  external: ['@fastify/ajv-compiler', '@fastify/fast-json-stringify-compiler'],
  alias: {
    // Lambda's credentials are in the environment: the rest of the SDK's default chain stays out.
    '@aws-sdk/credential-provider-node': path.join(__dirname, 'src/lambda-credentials.ts'),
    // Lambda logs to standard output: pino's worker-thread transports stay out.
    'thread-stream': path.join(__dirname, 'src/lambda-no-transports.cjs'),
  },
};

/**
 * The photo routes' bundle (and profile deletion's, which deletes photos): the S3 client and
 * presigner bundled, sharp left in node_modules (a native binary, installed for Lambda's platform).
 * @type {import('esbuild').BuildOptions}
 */
const lambdaPhotos = {
  ...lambda,
  entryPoints: [path.join(__dirname, 'src/lambda-photos.ts')],
  external: [...lambda.external, 'sharp'],
};

/** @type {import('esbuild').BuildOptions} */
const server = {
  ...lambda,
  entryPoints: [path.join(__dirname, 'src/server.ts')],
  target: 'node20',
  minify: false,
  sourcemap: 'linked',
  // Resolved at run time from node_modules: they read files (the DynamoDB Local jar, UI assets,
  // s3rver's templates) next to their own code, or are native (sharp).
  external: ['amplify-dynamodb-simulator', '@fastify/swagger-ui', 's3rver', 'sharp'],
  alias: {
    // Off a Lambda, credentials may come from anywhere the SDK's default chain looks: no
    // credential alias. One class-transformer: the OpenAPI document (src/http/request-schemas.ts)
    // reads nested types from the storage of its CommonJS build, which `@Type()` fills only where
    // `class-transformer` resolves to that build (tsx, jest). Here `mainFields` picks its esm5
    // build, so the document reads that build's storage too, or it loses its nested `$ref`s.
    'class-transformer/cjs/storage': path.join(
      path.dirname(require.resolve('class-transformer/package.json')),
      'esm5/storage.js',
    ),
  },
};

const targets = { lambda, 'lambda-photos': lambdaPhotos, server };

/**
 * What a build with declared metadata schemas points at the validators generated from them
 * (`@userprofile/adapters-json-schema/compile`); without, it bundles that package's module of no
 * schemas. ADR 0023.
 */
const METADATA_VALIDATORS = '@userprofile/adapters-json-schema/validators';

/**
 * A target's options with the generated validators module `file` in place of the default one
 * (none: the options as they are).
 * @template {import('esbuild').BuildOptions} T
 * @param {T} options
 * @param {string | undefined} file
 * @returns {T}
 */
function withMetadataValidators(options, file) {
  if (file === undefined) return options;
  return { ...options, alias: { ...options.alias, [METADATA_VALIDATORS]: file } };
}

/**
 * What is done to a Lambda bundle after esbuild: its module wrappers are made eager
 * (scripts/eager-module-wrappers.cjs). The CDK stack runs that script on each asset.
 */
const EAGER_MODULE_WRAPPERS = path.join(__dirname, 'scripts/eager-module-wrappers.cjs');

/**
 * Builds a target as it is deployed: esbuild with its options (and `overrides`: the output file,
 * or another entry for a baseline built the same way), then the post-build step of the Lambda
 * targets, and the photo worker beside those that serve photo routes. Answers esbuild's result.
 * @param {'lambda' | 'lambda-photos' | 'server'} target
 * @param {import('esbuild').BuildOptions & { outfile: string }} overrides
 * @param {string} [validatorsFile] the validators generated from declared metadata schemas
 */
async function buildBundle(target, overrides, validatorsFile) {
  const { build } = require('esbuild');
  const result = await build({
    ...withMetadataValidators(targets[target], validatorsFile),
    ...overrides,
  });
  if (target !== 'server')
    require(EAGER_MODULE_WRAPPERS).eagerModuleWrappersInFile(overrides.outfile);
  else asciiSourceInFile(overrides.outfile);
  // The targets that serve photo routes decode them in a worker process beside the bundle.
  if (target !== 'lambda') await buildPhotoWorker(path.dirname(overrides.outfile));
  return result;
}

/**
 * Rewrites what esbuild leaves outside ASCII as `\uXXXX` escapes. esbuild escapes strings and
 * identifiers but not regular expression literals (validator's locale alphabets, in the server
 * bundle only), and one character above U+00FF makes V8 hold the whole source of the bundle, 5 MB,
 * as UTF-16: 10.7 MB of the local server's heap where 5.4 MB do. Outside strings only regular
 * expressions and comments remain, where an escape means the character itself (an astral one as
 * its surrogate pair, which a `u` expression reads as one code point); a character escaped by a
 * backslash already would change meaning, so it stops the build.
 * @param {string} file
 */
function asciiSourceInFile(file) {
  const fs = require('node:fs');
  const text = fs.readFileSync(file, 'utf8');
  if (/\\[\u0080-\uffff]/.test(text))
    throw new Error(`${file}: a backslash before a non-ASCII character`);
  const ascii = text.replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  if (ascii !== text) fs.writeFileSync(file, ascii);
}

/** The photo worker, a second entry beside the bundles that serve photo routes (sharp external). */
const PHOTO_WORKER_BUNDLER = path.join(__dirname, 'scripts/photo-worker-bundle.cjs');

/**
 * Builds the photo worker into `dir`/photo-worker.js (the name photo-adapters.ts looks for).
 * @param {string} dir
 */
async function buildPhotoWorker(dir) {
  const { build } = require('esbuild');
  const entry = require.resolve('@userprofile/adapters-images/worker');
  return build({
    ...lambda,
    entryPoints: [entry],
    outfile: path.join(dir, 'photo-worker.js'),
    external: ['sharp'],
    alias: {},
    metafile: false,
  });
}

module.exports = {
  ...targets,
  buildBundle,
  buildPhotoWorker,
  asciiSourceInFile,
  withMetadataValidators,
  EAGER_MODULE_WRAPPERS,
  PHOTO_WORKER_BUNDLER,
};
