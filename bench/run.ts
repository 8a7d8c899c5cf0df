/**
 * The benchmark suite: the service against a bare baseline and the database's own limit, on one
 * DynamoDB Local, in one run. Writes bench/results/latest.json and docs/benchmarks.md.
 * Usage: pnpm bench [--quick]   (--quick: same code, small sizes and short runs; CI smoke test)
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import {
  DynamoUserProfileRepository,
  createDynamoClients,
  emailGuardItem,
  ensureTable,
  toItem,
} from '@userprofile/adapters-dynamo';
import { startDynamoDbLocal, waitForHttp } from '@userprofile/local-servers';
import { startLocalS3 } from '@userprofile/local-servers';
import { newUserProfile } from '@userprofile/domain';
import autocannon from 'autocannon';
import { build } from 'esbuild';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
// Plain modules of the HTTP adapter (no decorators), for a development token of the jwt-mode run.
import { mintDevToken } from '../packages/adapters-http/src/auth/dev-keys';
import { loadConfig } from '../packages/adapters-http/src/config';
import { restEvent } from '../packages/adapters-http/src/testing/api-gateway-events';
import { buildBundle, bundleOptionsOf } from '../packages/adapters-http/src/testing/invoke-bundle';
import { createProfileRequests } from './create-requests';
import { measureLambda } from './lambda';
import { measureSearch, searchSizes } from './search';
import { readMemorySizes, renderReport } from './report';
import type { Figure, Results } from './results';

const quick = process.argv.includes('--quick');
const P = quick
  ? {
      rounds: 1,
      seconds: 3,
      warmupSeconds: 2,
      connections: 16,
      coldRuns: 10,
      warmCount: 200,
      sizes: [500, 1000, 2000],
      samples: 20,
    }
  : {
      rounds: 5,
      seconds: 10,
      warmupSeconds: 10,
      connections: 16,
      coldRuns: 15,
      warmCount: 1000,
      sizes: [1000, 10_000, 100_000],
      samples: 50,
    };

const root = join(__dirname, '..');
const httpDir = join(root, 'packages/adapters-http');
const buildDir = join(root, 'bench/.build');
const SERVER_NODE_FLAGS = startCommandNodeFlags();
const bundleOptions = {
  lambda: bundleOptionsOf('lambda'),
  server: bundleOptionsOf('server'),
};

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0
    ? NaN
    : s.length % 2
      ? s[(s.length - 1) / 2]!
      : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};
const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

async function main(): Promise<void> {
  const started = Date.now();
  mkdirSync(buildDir, { recursive: true });
  log(`mode: ${quick ? 'quick' : 'full'}; starting DynamoDB Local (in memory)`);
  // 100,000 profiles in memory need a few hundred MB of heap; a tight heap turns into GC thrash.
  const ddb = await startDynamoDbLocal({ heapMb: 4096 });
  // One photo store for the servers (each would otherwise start its own on the same port).
  const s3 = await startLocalS3({
    directory: join(buildDir, 's3'),
    bucket: 'bench-photos',
    port: 0,
  });
  const children: ChildProcess[] = [];
  try {
    const env = {
      PATH: process.env.PATH,
      DYNAMODB_ENDPOINT: ddb.endpoint,
      S3_ENDPOINT: s3.endpoint,
      PHOTOS_BUCKET: 'bench-photos',
      AWS_REGION: 'us-east-1',
      LOG_LEVEL: 'info',
    };
    const bundles = await buildBundles();

    // 1. HTTP: service vs bare baseline vs the database's limit, alternating.
    const { profile, tableName, http, serverPeakRssMb, baselinePeakRssMb } = await measureHttp(
      ddb.endpoint,
      env,
      bundles,
      children,
    );

    // 2. Lambda: the asset against a bare handler, on Lambda's Node.js major, in the deployed
    // configuration (the stack's LOG_LEVEL, the exec wrapper's flags).
    const lambda = await measureLambda({
      lambdaJs: bundles.lambdaJs,
      photoLambdaJs: bundles.photoLambdaJs,
      baselineJs: bundles.baselineLambdaJs,
      baselineBuiltAlikeJs: bundles.baselineLambdaBuiltAlikeJs,
      buildDir,
      httpDir,
      event: restEvent({ method: 'GET', path: `/users/${profile.userId}` }),
      env: { ...env, TABLE_NAME: tableName, LOG_LEVEL: 'info' },
      coldRuns: P.coldRuns,
      warmCount: P.warmCount,
      profileRuns: quick ? 2 : 5,
      log,
    });

    // 3. Scaling: list and find-by-email latency as the table grows, on a DynamoDB Local of its
    // own (the load of section 1 left tens of thousands of items in this one).
    await ddb.stop();
    log('starting a fresh DynamoDB Local for the scaling runs');
    const scalingDb = await startDynamoDbLocal({ heapMb: 4096 });
    let scaling: Results['scaling'];
    let search: Results['search'];
    try {
      const fresh = createDynamoClients({ endpoint: scalingDb.endpoint, requestTimeoutMs: 10_000 });
      scaling = await measureScaling(fresh.client, fresh.documentClient);
      // Administrators' search, on a table of its own in the same DynamoDB Local.
      search = await measureSearch(fresh, searchSizes(quick), P.samples, log);
    } finally {
      await scalingDb.stop();
    }

    writeResults({
      generatedAt: new Date().toISOString(),
      mode: quick ? 'quick' : 'full',
      command: quick ? 'pnpm bench --quick' : 'pnpm bench',
      machine: {
        cpu: cpus()[0]?.model ?? 'unknown',
        cores: cpus().length,
        memoryGb: Math.round(totalmem() / 2 ** 30),
        node: process.version,
      },
      parameters: P,
      http,
      memory: {
        serverPeakRssMb,
        baselinePeakRssMb,
        lambdaColdStartRssMb: lambda.coldStartRssMb,
        serverNodeFlags: SERVER_NODE_FLAGS,
      },
      lambda,
      scaling,
      search,
      durationSeconds: Math.round((Date.now() - started) / 1000),
    });
  } finally {
    for (const child of children) child.kill('SIGKILL');
    await ddb.stop();
    await s3.stop();
  }
}

interface Bundles {
  serverJs: string;
  baselineServerJs: string;
  lambdaJs: string;
  /** The photo routes' (and deletion's) bundle: its size is reported beside the other's. */
  photoLambdaJs: string;
  /** The bare handler built with the Lambda bundles' esbuild options: the budgets' reference. */
  baselineLambdaJs: string;
  /** The same handler through the whole Lambda build, post-build step included. */
  baselineLambdaBuiltAlikeJs: string;
}

/** The service and the Lambda, each with its bare baseline, built with the deployed options. */
async function buildBundles(): Promise<Bundles> {
  log('bundling the service, the Lambda and their baselines');
  const serverJs = join(httpDir, 'dist/bench-server.js'); // beside node_modules for its run-time files
  const baselineServerJs = join(buildDir, 'baseline-server.js');
  await build({ ...bundleOptions.server, outfile: serverJs, sourcemap: false, metafile: false });
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
    lambdaJs,
    photoLambdaJs,
    baselineLambdaJs,
    baselineLambdaBuiltAlikeJs,
  };
}

/**
 * Section 1: the listening service (open and jwt mode) against a bare server and the database's
 * own limit, in alternating rounds after a discarded warm-up; and the servers' peak memory.
 */
async function measureHttp(
  endpoint: string,
  env: NodeJS.ProcessEnv,
  bundles: Bundles,
  children: ChildProcess[],
) {
  const { client, documentClient } = createDynamoClients({ endpoint, requestTimeoutMs: 10_000 });
  const tableName = 'bench-http';
  await ensureTable(client, tableName);
  const profile = newUserProfile(
    { email: 'bench@example.com', firstName: 'Bench', lastName: 'Mark', metadata: { plan: 'pro' } },
    { userId: randomUUID(), now: new Date() },
  );
  await new DynamoUserProfileRepository(documentClient, tableName).create(profile);
  const server = (script: string, port: number, extra: NodeJS.ProcessEnv = {}) =>
    startServer(
      process.execPath,
      [...SERVER_NODE_FLAGS, script],
      { ...env, ...extra, TABLE_NAME: tableName, PORT: String(port) },
      port,
      children,
    );
  const service = await server(bundles.serverJs, 3100);
  // The same service in jwt mode, trusting a development key, with a token of the profile's owner.
  const jwtEnv = {
    AUTH_MODE: 'jwt',
    AUTH_DEV_KEYS: 'true',
    ENVIRONMENT: 'local',
    DATA_DIR: join(buildDir, 'dev-key'),
  };
  const token = await mintDevToken(loadConfig(jwtEnv), {
    sub: profile.userId,
    email: profile.email,
  });
  const bearer = { authorization: `Bearer ${token}` };
  await server(bundles.serverJs, 3102, jwtEnv);
  const baseline = await server(bundles.baselineServerJs, 3101);

  // Warm-up, discarded: JIT of both servers and of DynamoDB Local's JVM.
  log('warming up');
  const get = (port: number) => `http://127.0.0.1:${port}/users/${profile.userId}`;
  await load(get(3100), P.warmupSeconds);
  await load(get(3101), P.warmupSeconds);
  await load(get(3102), P.warmupSeconds, bearer);
  await load('http://127.0.0.1:3100/users?limit=20', P.warmupSeconds);

  const runs: Record<keyof Results['http'], Figure[]> = {
    serviceGet: [],
    serviceGetJwt: [],
    baselineGet: [],
    dbLimitGet: [],
    servicePost: [],
    serviceList: [],
  };
  for (let round = 1; round <= P.rounds; round++) {
    log(`HTTP round ${round}/${P.rounds}`);
    runs.serviceGet.push(await load(get(3100)));
    runs.baselineGet.push(await load(get(3101)));
    runs.serviceGetJwt.push(await load(get(3102), P.seconds, bearer));
    runs.dbLimitGet.push(dbLimit(env, tableName, profile.userId));
    runs.servicePost.push(await loadPost('http://127.0.0.1:3100'));
    runs.serviceList.push(await load('http://127.0.0.1:3100/users?limit=20'));
  }
  const serverPeakRssMb = peakRssMb(service.pid!);
  const baselinePeakRssMb = peakRssMb(baseline.pid!);
  for (const child of children.splice(0)) child.kill('SIGTERM');
  const http = Object.fromEntries(
    Object.entries(runs).map(([k, v]) => [k, medianFigure(v)]),
  ) as Results['http'];
  return { profile, tableName, http, serverPeakRssMb, baselinePeakRssMb };
}

/** Writes the raw figures and the report (docs/benchmarks.md on a full run); fails on a gap. */
function writeResults(results: Results): void {
  writeFileSync(
    join(root, 'bench/results', quick ? 'quick.json' : 'latest.json'),
    `${JSON.stringify(results, null, 2)}\n`,
  );
  const report = renderReport(results, readMemorySizes());
  if (!quick) writeFileSync(join(root, 'docs/benchmarks.md'), report);
  process.stdout.write(report);
  const missing = missingFigures(results);
  if (missing.length > 0) {
    log(`figures not produced: ${missing.join(', ')}`);
    process.exitCode = 1;
  } else {
    log(`every figure produced in ${results.durationSeconds} s`);
  }
}

/** Section 3: list and find-by-e-mail latency as the table grows, seeded in steps. */
async function measureScaling(
  client: ReturnType<typeof createDynamoClients>['client'],
  documentClient: ReturnType<typeof createDynamoClients>['documentClient'],
): Promise<Results['scaling']> {
  const tableName = 'bench-scaling';
  await ensureTable(client, tableName);
  const repo = new DynamoUserProfileRepository(documentClient, tableName);
  const points: Results['scaling']['points'] = [];
  let seeded = 0;
  for (const target of P.sizes) {
    log(`seeding ${target} profiles`);
    const t0 = performance.now();
    await seed(documentClient, tableName, seeded, target);
    const seedSeconds = (performance.now() - t0) / 1000;
    seeded = target;
    if (target === P.sizes[0]) {
      // Warm-up, discarded: otherwise the first size also measures JIT compilation.
      for (let i = 0; i < P.samples * 2; i++) {
        await repo.list({ limit: 20 });
        await repo.findByEmail(`seed${i % target}@example.com`);
      }
    }
    const list: number[] = [];
    const find: number[] = [];
    for (let i = 0; i < P.samples; i++) {
      let t = performance.now();
      const page = await repo.list({ limit: 20 });
      list.push(performance.now() - t);
      if (page.items.length !== 20) throw new Error('list returned a short page');
      const email = `seed${Math.floor(Math.random() * target)}@example.com`;
      t = performance.now();
      const found = await repo.findByEmail(email);
      find.push(performance.now() - t);
      if (!found) throw new Error(`${email} was not found`);
    }
    points.push({
      profiles: target,
      listP50Ms: median(list),
      listP99Ms: quantile(list, 0.99),
      findP50Ms: median(find),
      findP99Ms: quantile(find, 0.99),
      seedSeconds,
    });
  }
  const first = points[0]!;
  const last = points.at(-1)!;
  return {
    points,
    listRatio: last.listP50Ms / first.listP50Ms,
    findRatio: last.findP50Ms / first.findP50Ms,
  };
}

/** Profiles `seed<from>`..`seed<to-1>`, profile and guard items, 25 per BatchWriteItem, 8 in flight. */
async function seed(
  db: ReturnType<typeof createDynamoClients>['documentClient'],
  tableName: string,
  from: number,
  to: number,
) {
  const base = Date.UTC(2026, 0, 1);
  const batches: Record<string, unknown>[][] = [];
  let batch: Record<string, unknown>[] = [];
  for (let i = from; i < to; i++) {
    const p = newUserProfile(
      {
        email: `seed${i}@example.com`,
        firstName: 'Seed',
        lastName: `Number ${i}`,
        metadata: { i, tags: ['a', 'b'] },
      },
      { userId: randomUUID(), now: new Date(base + i * 1000) },
    );
    batch.push(
      toItem(p) as unknown as Record<string, unknown>,
      emailGuardItem(p) as unknown as Record<string, unknown>,
    );
    if (batch.length >= 24) {
      batches.push(batch);
      batch = [];
    }
  }
  if (batch.length > 0) batches.push(batch);
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let items = batches[next++]!.map((Item) => ({ PutRequest: { Item } }));
      while (items.length > 0) {
        const res = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: items } }));
        items = (res.UnprocessedItems?.[tableName] ?? []) as typeof items;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/** One autocannon run, as a Figure. */
function cannon(options: autocannon.Options): Promise<Figure> {
  return new Promise((resolve, reject) => {
    autocannon({ connections: P.connections, duration: P.seconds, ...options }, (error, r) => {
      if (error) return reject(error instanceof Error ? error : new Error(String(error)));
      resolve({
        rps: r.requests.average,
        p50: r.latency.p50,
        p99: r.latency.p99,
        errors: r.errors + r.timeouts + r.non2xx,
      });
    });
  });
}

function load(
  url: string,
  seconds = P.seconds,
  headers: Record<string, string> = {},
): Promise<Figure> {
  return cannon({ url, duration: seconds, headers });
}

/** Creates with a new e-mail each, so that none is refused as taken. */
function loadPost(base: string): Promise<Figure> {
  return cannon({ url: base, requests: createProfileRequests() });
}

function dbLimit(env: NodeJS.ProcessEnv, tableName: string, userId: string): Figure {
  const out = execFileSync(
    process.execPath,
    [
      join(root, 'node_modules/tsx/dist/cli.mjs'),
      join(root, 'bench/db-limit.ts'),
      String(P.connections),
      String(P.seconds),
      userId,
    ],
    {
      env: { ...env, TABLE_NAME: tableName },
      encoding: 'utf8',
    },
  );
  return JSON.parse(out) as Figure;
}

async function startServer(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  port: number,
  children: ChildProcess[],
): Promise<ChildProcess> {
  const child = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    await waitForHttp(`http://127.0.0.1:${port}/users/none`, child, 30_000);
  } catch (error) {
    throw new Error(`server on ${port} did not start: ${(error as Error).message}\n${stderr}`);
  }
  return child;
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
  return kb / 1024;
}

function medianFigure(figures: Figure[]): Figure {
  return {
    rps: median(figures.map((f) => f.rps)),
    p50: median(figures.map((f) => f.p50)),
    p99: median(figures.map((f) => f.p99)),
    errors: figures.reduce((sum, f) => sum + f.errors, 0),
  };
}

/** Every number the report shows must have been measured. */
function missingFigures(results: Results): string[] {
  const missing: string[] = [];
  const walk = (value: unknown, path: string) => {
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) missing.push(path);
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
    }
  };
  walk(
    {
      http: results.http,
      memory: results.memory,
      lambda: results.lambda,
      scaling: results.scaling,
    },
    '',
  );
  if (results.lambda.profile.length === 0) missing.push('lambda.profile');
  return missing;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

/**
 * The Node flags of the local server's start command (`pnpm start` in adapters-http), so that the
 * benchmark measures the server as it is run; both servers get them, so they compare like for like.
 */
function startCommandNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(join(httpDir, 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  const command = /\bnode ((?:--[\w-]+(?:=\S+)? )*)dist\/server\.js/.exec(pkg.scripts.start);
  if (!command) throw new Error(`cannot read the node flags of: ${pkg.scripts.start}`);
  return (command[1] ?? '').trim().split(/\s+/).filter(Boolean);
}
