import type { BuildOptions, BuildResult } from 'esbuild';
import { execFile } from 'node:child_process';
import { join } from 'node:path';

/** A deployable target of bundle-options.cjs. */
export type BundleTarget = 'lambda' | 'lambda-photos' | 'server';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const bundleOptions = require('../../bundle-options.cjs') as Record<BundleTarget, BuildOptions> & {
  buildBundle(
    target: BundleTarget,
    overrides: BuildOptions & { outfile: string },
    /** A metadata validators module generated from declared schemas (ADR 0023). */
    validatorsFile?: string,
  ): Promise<BuildResult<{ metafile: true }>>;
};

/** The esbuild options of a deployable target (as the CDK stack passes them to NodejsFunction). */
export const bundleOptionsOf = (target: BundleTarget): BuildOptions => bundleOptions[target];

/**
 * Builds a target as it is deployed (bundle-options.cjs): esbuild, then the Lambda targets'
 * post-build step. `overrides` name the output file, or another entry built the same way.
 */
export const buildBundle = bundleOptions.buildBundle;

/** A Lambda proxy result as the bundle's handler returns it. */
export interface LambdaResponse {
  /** Set instead of the rest when the invocation outlived its timeout (INVOKE_TIMEOUT_MS). */
  timedOut?: true;
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Loads a Lambda bundle in a fresh Node process (scripts/invoke-bundle.cjs) and serves `events`
 * through its handler, one after another. Asynchronous, so that this process can keep serving
 * what the bundle calls (a JWKS, say) meanwhile.
 */
export async function invokeBundle(
  bundle: string,
  events: unknown[],
  env: NodeJS.ProcessEnv,
  /** An `AWS_LAMBDA_EXEC_WRAPPER` script to start Node through, as Lambda would. */
  wrapper?: string,
): Promise<LambdaResponse[]> {
  return (await invokeBundleOutput(bundle, events, env, wrapper)).results;
}

/** As `invokeBundle`, with the timings of each invocation and of the whole run. */
export function invokeBundleOutput(
  bundle: string,
  events: unknown[],
  env: NodeJS.ProcessEnv,
  wrapper?: string,
): Promise<BundleOutput> {
  const command = [process.execPath, join(__dirname, '../../scripts/invoke-bundle.cjs'), bundle];
  return new Promise((resolve, reject) => {
    const child = execFile(
      wrapper ? '/bin/sh' : command[0]!,
      wrapper ? [wrapper, ...command] : command.slice(1),
      { encoding: 'utf8', env: { PATH: process.env.PATH, ...env }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`${error.message}\n${stderr}`));
        resolve(bundleOutput(stdout));
      },
    );
    child.stdin?.end(JSON.stringify(events));
  });
}

/** What scripts/invoke-bundle.cjs prints: the time from load to the last answer, and the answers. */
export interface BundleOutput {
  ms: number;
  maxRssKb: number;
  results: LambdaResponse[];
  /** Milliseconds each invocation took. */
  timings: number[];
}

/** The result line of invoke-bundle.cjs; the app's own log lines come before and after it (pino writes asynchronously). */
export function bundleOutput(stdout: string): BundleOutput {
  const line = stdout
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{"ms":'));
  if (!line) throw new Error(`no result line in the bundle's output:\n${stdout}`);
  return JSON.parse(line) as BundleOutput;
}
