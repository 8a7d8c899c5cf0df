import { OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { ServiceEnvironment } from '@userprofile/adapters-http/environment';
import { writeValidatorsModule } from '@userprofile/adapters-json-schema/compile';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { UserProfileStackConfig } from './config';

// How the app's functions are bundled: adapters-http's esbuild options, for NodejsFunction.

const requireFromHere = createRequire(__filename);
const httpPackage = dirname(requireFromHere.resolve('@userprofile/adapters-http/package.json'));
// The same esbuild choices as adapters-http's own bundle and its bundle tests.
const bundle = requireFromHere(join(httpPackage, 'bundle-options.cjs')) as {
  lambda: BundleOptions;
  'lambda-photos': BundleOptions;
  /** The options with a generated metadata validators module in place of the one of no schemas. */
  withMetadataValidators: (options: BundleOptions, file: string | undefined) => BundleOptions;
  /** The post-build step of the Lambda bundles, run on each asset after esbuild. */
  EAGER_MODULE_WRAPPERS: string;
  /** Builds the photo worker into a directory (the photo bundle's assets). */
  PHOTO_WORKER_BUNDLER: string;
};
interface BundleOptions {
  target: string;
  minify: boolean;
  mainFields: string[];
  external: string[];
  alias: Record<string, string>;
  supported: Record<string, boolean>;
}

/** The exec wrapper that starts Node with the flags of adapters-http/lambda-node-flags.sh. */
export const NODE_FLAGS_WRAPPER = 'lambda-node-flags.sh';

/**
 * The asset with a V8 code cache: the bundle becomes app.js, the loader index.js (the handler's
 * module stays `index`), and the cache is made inside the runtime's own image.
 */
export function codeCacheCommands(image: string, output: string): string[] {
  const codeCache = join(httpPackage, 'code-cache');
  return [
    `mv "${output}/index.js" "${output}/app.js"`,
    `cp "${codeCache}/loader.cjs" "${output}/index.js"`,
    `sh "${codeCache}/make-code-cache-in-lambda-image.sh" "${image}" "${output}"`,
  ];
}

/**
 * Puts sharp into the asset for Lambda's platform (Linux arm64, glibc), whatever machine bundles:
 * the `@img/sharp-linux-arm64` binaries of this workspace's install (pnpm installs them beside
 * the build machine's, see pnpm-workspace.yaml), copied offline, never the build machine's own.
 */
export function sharpCopyCommand(output: string): string {
  return `node "${join(__dirname, '..', 'scripts', 'copy-sharp-arm64.cjs')}" "${output}"`;
}

/**
 * The declared schemas' validators, generated at synth into a module named by their content
 * (ADR 0023): the functions bundle it, so none compiles a schema or carries ajv's compiler.
 */
export function validatorsModuleOf(config: UserProfileStackConfig): string | undefined {
  if (config.profileSchemas === undefined) return undefined;
  return writeValidatorsModule(config.profileSchemas, join(tmpdir(), 'userprofile-validators'));
}

/** A bundle target's options, with the generated validators module when there is one. */
export const bundleOf = (target: 'lambda' | 'lambda-photos', validators: string | undefined) =>
  bundle.withMetadataValidators(bundle[target], validators);

/**
 * The app's Lambda bundle as the profile functions build it (with the declared schemas'
 * validators, if any), so that another function of the same app shares their asset.
 */
export const appLambdaBundle = (config: UserProfileStackConfig) =>
  bundleOf('lambda', validatorsModuleOf(config));

/** adapters-http's entries, for functions that are not routes (the scheduled jobs). */
export const HTTP_PACKAGE = httpPackage;

/** The esbuild options of a bundle target, for NodejsFunction. */
export const BUNDLE_OPTIONS = bundle;

/** NodejsFunction's bundling with a target's options and the commands run on the output. */
export function bundlingFor(
  options: BundleOptions,
  afterBundling: (output: string) => string[],
): BundlingOptions {
  return {
    forceDockerBundling: false,
    minify: options.minify,
    sourceMap: false,
    target: options.target,
    format: OutputFormat.CJS,
    mainFields: options.mainFields,
    // Our pinned AWS SDK is bundled rather than whatever version the runtime carries; only
    // modules the app never loads stay out.
    externalModules: options.external,
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (_input: string, output: string) => afterBundling(output),
    },
    esbuildArgs: {
      '--legal-comments': 'none',
      ...Object.fromEntries(
        Object.entries(options.alias).map(([from, to]) => [`--alias:${from}`, to]),
      ),
      ...Object.fromEntries(
        Object.entries(options.supported).map(([feature, on]) => [
          `--supported:${feature}`,
          String(on),
        ]),
      ),
    },
  };
}

/**
 * A function's environment: the app's settings by the names it reads, and Lambda's exec wrapper,
 * which adds the Node flags NODE_OPTIONS refuses.
 */
export function functionEnvironment(app: ServiceEnvironment): Record<string, string> {
  const set = Object.entries(app).filter(
    (entry): entry is [string, string] => entry[1] !== undefined,
  );
  return { ...Object.fromEntries(set), AWS_LAMBDA_EXEC_WRAPPER: `/var/task/${NODE_FLAGS_WRAPPER}` };
}
