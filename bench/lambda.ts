/**
 * Section 2 of the benchmark: the Lambda asset against a bare handler, in one run, on the Node.js
 * major that Lambda runs the functions with (the CDK stack's runtime), installed from the npm
 * registry's `node-linux-<arch>` package when this machine's Node is another.
 *
 * Cold start = load the bundle, build the app, answer a first `GET /users/{id}` event, in a fresh
 * process; every variant and the baseline alternate, one run each per round, on one DynamoDB Local.
 */
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { bundleOutput } from '../packages/adapters-http/src/testing/invoke-bundle';
import { TestIssuer } from '../packages/adapters-http/src/testing/test-issuer';
import { profileColdStart, type ProfileShare } from './cold-profile';
import { median } from './stats';

/**
 * The Node.js version of Lambda's nodejs24.x runtime this benchmark runs the asset on: the one
 * `.nvmrc` pins, which scripts/lib.sh runs everything on.
 */
export const LAMBDA_NODE_VERSION = readFileSync(join(__dirname, '../.nvmrc'), 'utf8').trim();
/** How long the JWKS endpoint of the jwt-mode runs takes to answer. */
export const JWKS_DELAY_MS = Number(process.env.JWKS_DELAY ?? 50);

export interface LambdaFigures {
  runtime: string;
  /** The flags of the asset's exec wrapper, which every service run starts Node with. */
  nodeFlags: string[];
  bundleBytes: number;
  bundleGzipBytes: number;
  baselineBundleBytes: number;
  baselineBundleGzipBytes: number;
  /** The photo routes' bundle (S3 client and presigner; sharp stays in node_modules). */
  photoBundleBytes: number;
  photoBundleGzipBytes: number;
  codeCacheBytes: number;
  /** The asset with the example's validators bundled (ADR 0023); absent in runs made before. */
  schemasBundleBytes?: number;
  /**
   * Medians, ms. `baseline` is the bare handler built with the Lambda bundles' esbuild options, the
   * budgets' reference; `baselineBuiltAlike` the same handler through the whole Lambda build (its
   * module wrappers made eager too), the stricter comparison.
   */
  cold: {
    service: number;
    /** The asset built with the declared schemas of docs/examples/profile-schemas.json. */
    serviceSchemas?: number;
    serviceCached: number;
    serviceJwt: number;
    baseline: number;
    baselineBuiltAlike: number;
  };
  coldStartRssMb: number;
  baselineColdStartRssMb: number;
  jwksDelayMs: number;
  warm: { p50: number; p99: number };
  baselineWarm: { p50: number; p99: number };
  profile: ProfileShare[];
  coldRuns: number;
}

/** The Node binary matching Lambda's runtime: this one if it is that version, else installed. */
export function lambdaNode(buildDir: string): { binary: string; version: string } {
  if (process.version === `v${LAMBDA_NODE_VERSION}`) {
    return { binary: process.execPath, version: process.version };
  }
  const dir = join(buildDir, `node-${LAMBDA_NODE_VERSION}`);
  const binary = join(dir, `node_modules/node-linux-${process.arch}/bin/node`);
  if (!existsSync(binary)) {
    execFileSync(
      'npm',
      [
        'install',
        '--prefix',
        dir,
        '--no-fund',
        '--no-audit',
        '--no-save',
        '--loglevel=error',
        `node-linux-${process.arch}@${LAMBDA_NODE_VERSION}`,
      ],
      { stdio: 'inherit' },
    );
  }
  const version = execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
  if (version !== `v${LAMBDA_NODE_VERSION}`) throw new Error(`${binary} is ${version}`);
  return { binary, version };
}

/** The flags on the exec line of the asset's wrapper script (what Lambda starts Node with). */
export function wrapperFlags(wrapper: string): string[] {
  const line = /^exec "\$node" (.*) "\$@"$/m.exec(readFileSync(wrapper, 'utf8'));
  if (!line) throw new Error(`no exec line in ${wrapper}`);
  return line[1]!.split(/\s+/).filter(Boolean);
}

export interface LambdaOptions {
  lambdaJs: string;
  /** The same asset built with declared metadata schemas (their generated validators). */
  lambdaSchemasJs: string;
  photoLambdaJs: string;
  baselineJs: string;
  baselineBuiltAlikeJs: string;
  buildDir: string;
  httpDir: string;
  event: { headers: Record<string, string> };
  env: NodeJS.ProcessEnv;
  coldRuns: number;
  warmCount: number;
  profileRuns: number;
  log: (message: string) => void;
}

/** Lambda's Node, the exec wrapper's flags, and the script that invokes a bundle with events. */
interface Runner {
  binary: string;
  flags: string[];
  invoke: string;
}

export async function measureLambda(options: LambdaOptions): Promise<LambdaFigures> {
  const { binary, version } = lambdaNode(options.buildDir);
  const runner: Runner = {
    binary,
    flags: wrapperFlags(join(options.httpDir, 'lambda-node-flags.sh')),
    invoke: join(options.httpDir, 'scripts/invoke-bundle.cjs'),
  };
  const cachedDir = withCodeCache(runner, options);
  const issuer = await TestIssuer.start();
  issuer.delayMs = JWKS_DELAY_MS;
  try {
    const samples = await coldStarts(runner, options, issuer, join(cachedDir, 'index.js'));
    const warm = warmRounds(runner, options);
    const size = (file: string) => readFileSync(file).length;
    const gzipped = (file: string) => gzipSync(readFileSync(file)).length;
    return {
      runtime: `Node.js ${version} (${process.arch}; Lambda runs the same major on arm64)`,
      nodeFlags: runner.flags,
      bundleBytes: size(options.lambdaJs),
      bundleGzipBytes: gzipped(options.lambdaJs),
      baselineBundleBytes: size(options.baselineJs),
      baselineBundleGzipBytes: gzipped(options.baselineJs),
      photoBundleBytes: size(options.photoLambdaJs),
      photoBundleGzipBytes: gzipped(options.photoLambdaJs),
      codeCacheBytes: size(join(cachedDir, 'app.cache')),
      schemasBundleBytes: size(options.lambdaSchemasJs),
      cold: {
        service: median(samples.service),
        serviceSchemas: median(samples.schemas),
        serviceCached: median(samples.cached),
        serviceJwt: median(samples.jwt),
        baseline: median(samples.baseline),
        baselineBuiltAlike: median(samples.baselineBuiltAlike),
      },
      coldStartRssMb: median(samples.serviceRss),
      baselineColdStartRssMb: median(samples.baselineRss),
      jwksDelayMs: JWKS_DELAY_MS,
      ...warm,
      profile: await profileColdStart({
        invokeScript: runner.invoke,
        buildDir: options.buildDir,
        event: options.event,
        env: options.env,
        runs: options.profileRuns,
        node: { binary, flags: runner.flags },
      }),
      coldRuns: options.coldRuns,
    };
  } finally {
    await issuer.stop();
  }
}

/**
 * The asset with a code cache: the loader as index.js, the bundle as app.js, and a cache made by
 * this very runtime with the wrapper's flags. Returns its directory.
 */
function withCodeCache(runner: Runner, options: LambdaOptions): string {
  const cachedDir = join(options.buildDir, 'lambda-cached');
  rmSync(cachedDir, { recursive: true, force: true });
  mkdirSync(cachedDir, { recursive: true });
  copyFileSync(options.lambdaJs, join(cachedDir, 'app.js'));
  copyFileSync(join(options.httpDir, 'code-cache/loader.cjs'), join(cachedDir, 'index.js'));
  execFileSync(
    runner.binary,
    [...runner.flags, join(options.httpDir, 'code-cache/make-code-cache.cjs'), cachedDir],
    { env: { PATH: process.env.PATH }, stdio: 'inherit' },
  );
  return cachedDir;
}

/** One cold start of `bundle` in a fresh process answering `event`: its time and peak RSS. */
function coldStart(
  runner: Runner,
  bundle: string,
  event: unknown,
  env: NodeJS.ProcessEnv,
  withFlags: boolean,
): Promise<{ ms: number; rssMb: number }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      runner.binary,
      [...(withFlags ? runner.flags : []), runner.invoke, bundle],
      { env, encoding: 'utf8' },
      (error, stdout) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        try {
          resolve(parse(stdout));
        } catch (e) {
          reject(e as Error);
        }
      },
    );
    child.stdin?.end(JSON.stringify([event]));
  });
}

/**
 * The cold starts of every variant, `coldRuns` rounds. Each round runs every variant once, in an
 * order shuffled per round: on this shared machine a fixed order would give one variant the same
 * place, and whatever that place costs, each time.
 */
async function coldStarts(
  runner: Runner,
  options: LambdaOptions,
  issuer: TestIssuer,
  cachedJs: string,
) {
  const userId = /\/users\/([^/]+)$/.exec((options.event as unknown as { path: string }).path)?.[1];
  const token = await issuer.idToken(userId ?? '');
  const jwtEvent = {
    ...options.event,
    headers: { ...options.event.headers, authorization: `Bearer ${token}` },
  };
  const run = (bundle: string, event: unknown, env: NodeJS.ProcessEnv, withFlags: boolean) =>
    coldStart(runner, bundle, event, env, withFlags);
  const { event, env } = options;
  const samples = {
    service: [] as number[],
    schemas: [] as number[],
    cached: [] as number[],
    jwt: [] as number[],
    baseline: [] as number[],
    baselineBuiltAlike: [] as number[],
    serviceRss: [] as number[],
    baselineRss: [] as number[],
  };
  const variants: (() => Promise<void>)[] = [
    async () => {
      const s = await run(options.lambdaJs, event, env, true);
      samples.service.push(s.ms);
      samples.serviceRss.push(s.rssMb);
    },
    async () => {
      samples.cached.push((await run(cachedJs, event, env, true)).ms);
    },
    async () => {
      samples.schemas.push((await run(options.lambdaSchemasJs, event, env, true)).ms);
    },
    async () => {
      // As deployed: the pool's keys delivered with the configuration (AUTH_JWKS); the slow
      // JWKS endpoint is there for a key not among them, and must not be asked.
      const fetchesBefore = issuer.fetches;
      const jwtEnv = { ...env, ...issuer.env({ AUTH_JWKS: issuer.jwks }) };
      samples.jwt.push((await run(options.lambdaJs, jwtEvent, jwtEnv, true)).ms);
      if (issuer.fetches !== fetchesBefore) {
        throw new Error('a jwt-mode cold start with delivered keys fetched the JWKS');
      }
    },
    async () => {
      const b = await run(options.baselineJs, event, env, false);
      samples.baseline.push(b.ms);
      samples.baselineRss.push(b.rssMb);
    },
    async () => {
      samples.baselineBuiltAlike.push(
        (await run(options.baselineBuiltAlikeJs, event, env, false)).ms,
      );
    },
  ];
  for (let i = 0; i < options.coldRuns; i++) {
    options.log(`Lambda cold starts, round ${i + 1}/${options.coldRuns}`);
    for (const variant of shuffled(variants)) await variant();
  }
  return samples;
}

/** Warm invocations: service and baseline alternate, three rounds, the median of each figure. */
function warmRounds(
  runner: Runner,
  options: LambdaOptions,
): Pick<LambdaFigures, 'warm' | 'baselineWarm'> {
  const warm = (bundle: string, withFlags: boolean) =>
    JSON.parse(
      lastLine(
        execFileSync(
          runner.binary,
          [
            ...(withFlags ? runner.flags : []),
            join(__dirname, 'warm-invoke.cjs'),
            bundle,
            String(options.warmCount),
          ],
          { input: JSON.stringify(options.event), env: options.env, encoding: 'utf8' },
        ),
      ),
    ) as { p50: number; p99: number };
  const rounds = {
    service: [] as { p50: number; p99: number }[],
    baseline: [] as { p50: number; p99: number }[],
  };
  for (let round = 0; round < 3; round++) {
    options.log(`Lambda warm invocations, round ${round + 1}/3`);
    rounds.service.push(warm(options.lambdaJs, true));
    rounds.baseline.push(warm(options.baselineJs, false));
  }
  const medianOf = (figures: { p50: number; p99: number }[]) => ({
    p50: median(figures.map((r) => r.p50)),
    p99: median(figures.map((r) => r.p99)),
  });
  return { warm: medianOf(rounds.service), baselineWarm: medianOf(rounds.baseline) };
}

function parse(stdout: string): { ms: number; rssMb: number } {
  const { ms, maxRssKb, results } = bundleOutput(stdout);
  if (results[0]?.statusCode !== 200) {
    throw new Error(`cold start answered ${results[0]?.statusCode}: ${stdout}`);
  }
  return { ms, rssMb: maxRssKb / 1024 };
}

/** A copy of `xs` in random order (Fisher-Yates). */
export function shuffled<T>(xs: readonly T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function lastLine(out: string): string {
  return out.trim().split('\n').at(-1) ?? '';
}
