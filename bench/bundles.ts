/** The service and the Lambda, each with its bare baseline, built with the deployed options. */
import { build } from 'esbuild';
import { join } from 'node:path';
import { buildBundle, bundleOptionsOf } from '../packages/adapters-http/src/testing/invoke-bundle';
import { buildDir, httpDir, log, root } from './parameters';
import { exampleValidators } from './schemas';

const bundleOptions = {
  lambda: bundleOptionsOf('lambda'),
  server: bundleOptionsOf('server'),
};

export interface Bundles {
  serverJs: string;
  baselineServerJs: string;
  /** The service and the bare server's routes in one bundle, one copy of the SDK (ADR 0027). */
  serverWithSameReadsJs: string;
  lambdaJs: string;
  /** The Lambda bundle with the validators of docs/examples/profile-schemas.json. */
  lambdaSchemasJs: string;
  /** The photo routes' (and deletion's) bundle: its size is reported beside the other's. */
  photoLambdaJs: string;
  /** The bare handler built with the Lambda bundles' esbuild options: the budgets' reference. */
  baselineLambdaJs: string;
  /** The same handler through the whole Lambda build, post-build step included. */
  baselineLambdaBuiltAlikeJs: string;
}

/** The service and the Lambda, each with its bare baseline, built with the deployed options. */
export async function buildBundles(): Promise<Bundles> {
  log('bundling the service, the Lambda and their baselines');
  const serverJs = join(httpDir, 'dist/bench-server.js'); // beside node_modules for its run-time files
  const baselineServerJs = join(buildDir, 'baseline-server.js');
  const serverWithSameReadsJs = join(httpDir, 'dist/bench-server-with-same-reads.js');
  const plain = { metafile: false }; // the source map as shipped: linked, read only with --enable-source-maps
  await buildBundle('server', { outfile: serverJs, ...plain });
  await buildBundle('server', {
    entryPoints: [join(root, 'bench/service-with-same-reads.ts')],
    outfile: serverWithSameReadsJs,
    ...plain,
  });
  await build({
    ...bundleOptions.server,
    entryPoints: [join(root, 'bench/baseline-server.ts')],
    outfile: baselineServerJs,
    external: [],
    sourcemap: false,
    metafile: false,
  });
  const lambdaJs = join(buildDir, 'lambda.js');
  const baselineLambdaJs = join(buildDir, 'baseline-handler.js');
  await buildBundle('lambda', { outfile: lambdaJs });
  const lambdaSchemasJs = join(buildDir, 'lambda-schemas.js');
  await buildBundle('lambda', { outfile: lambdaSchemasJs }, exampleValidators(buildDir));
  const photoLambdaJs = join(buildDir, 'lambda-photos.js');
  await buildBundle('lambda-photos', { outfile: photoLambdaJs });
  const baseline = {
    entryPoints: [join(root, 'bench/baseline-handler.ts')],
    external: [],
    alias: {},
  };
  await build({ ...bundleOptions.lambda, ...baseline, outfile: baselineLambdaJs });
  const baselineLambdaBuiltAlikeJs = join(buildDir, 'baseline-handler-built-alike.js');
  await buildBundle('lambda', { ...baseline, outfile: baselineLambdaBuiltAlikeJs });
  return {
    serverJs,
    baselineServerJs,
    serverWithSameReadsJs,
    lambdaJs,
    lambdaSchemasJs,
    photoLambdaJs,
    baselineLambdaJs,
    baselineLambdaBuiltAlikeJs,
  };
}
