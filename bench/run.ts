/**
 * The benchmark suite: the service against a bare baseline and the database's own limit, on one
 * DynamoDB Local, in one run. Writes bench/results/latest.json and docs/benchmarks.md.
 * Usage: pnpm bench [--quick]   (--quick: same code, small sizes and short runs; CI smoke test)
 */
import { createDynamoClients } from '@userprofile/adapters-dynamo';
import { startDynamoDbLocal, startLocalS3 } from '@userprofile/local-servers';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { restEvent } from '../packages/adapters-http/src/testing/api-gateway-events';
import { buildBundles } from './bundles';
import { SERVER_NODE_FLAGS, measureHttp } from './http';
import { measureLambda } from './lambda';
import { P, buildDir, httpDir, log, quick, root } from './parameters';
import { renderReport } from './report';
import { readMemorySizes } from './report-saved';
import type { Results } from './results';
import { measureScaling } from './scaling';
import { measureSearch, searchSizes } from './search';

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
      lambdaSchemasJs: bundles.lambdaSchemasJs,
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
    const { scaling, search } = await measureScalingOnFreshDb();

    writeResults(
      resultsOf(
        { http, serverPeakRssMb, baselinePeakRssMb, lambda, scaling, search },
        Date.now() - started,
      ),
    );
  } finally {
    for (const child of children) child.kill('SIGKILL');
    await ddb.stop();
    await s3.stop();
  }
}

/** Section 3 on a DynamoDB Local of its own: list and find, then search on a table of its own. */
async function measureScalingOnFreshDb(): Promise<Pick<Results, 'scaling' | 'search'>> {
  log('starting a fresh DynamoDB Local for the scaling runs');
  const scalingDb = await startDynamoDbLocal({ heapMb: 4096 });
  try {
    const fresh = createDynamoClients({ endpoint: scalingDb.endpoint, requestTimeoutMs: 10_000 });
    const scaling = await measureScaling(fresh.client, fresh.documentClient);
    return { scaling, search: await measureSearch(fresh, searchSizes(quick), P.samples, log) };
  } finally {
    await scalingDb.stop();
  }
}

/** The figures of one run, with what they were measured on. */
function resultsOf(
  figures: Pick<Results, 'http' | 'lambda' | 'scaling' | 'search'> & {
    serverPeakRssMb: number;
    baselinePeakRssMb: number;
  },
  durationMs: number,
): Results {
  const { http, lambda, scaling, search, serverPeakRssMb, baselinePeakRssMb } = figures;
  return {
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
    durationSeconds: Math.round(durationMs / 1000),
  };
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
      search: results.search,
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
