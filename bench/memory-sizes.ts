/**
 * The Lambda asset under the CPU share Lambda gives each memory size (memory / 1769 MB of one
 * vCPU), held by a cgroup v1 CPU quota around the Node process: cold start (load to first answer)
 * and warm latency of `GET /users/{id}`, and what a million requests cost at each size.
 *   pnpm bench:memory   (root, cgroup v1 `cpu` controller; writes bench/results/memory-sizes.json)
 */
import { startDynamoDbLocal } from '@userprofile/local-servers';
import { restEvent } from '../packages/adapters-http/src/testing/api-gateway-events';
import { buildBundle, bundleOutput } from '../packages/adapters-http/src/testing/invoke-bundle';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lambdaNode, wrapperFlags } from './lambda';
import { tableWithOneProfile } from './one-profile';
import { renderReport } from './report';
import type { MemorySizes } from './report-saved';
import type { Results } from './results';
import { logger, median } from './stats';

const root = join(__dirname, '..');
const httpDir = join(root, 'packages/adapters-http');
const buildDir = join(root, 'bench/.build');
const CGROUP = '/sys/fs/cgroup/cpu';
const PERIOD_US = 100_000;
/** Lambda gives a full vCPU at 1,769 MB, and CPU in proportion below. */
const FULL_VCPU_MB = 1769;
const SIZES = [128, 256, 512, 1024, 1769];
const COLD_RUNS = Number(process.env.MEMORY_COLD_RUNS ?? 7);
const WARM_COUNT = Number(process.env.MEMORY_WARM_COUNT ?? 300);
/** arm64, us-east-1, 2026: per GB-second of duration (init included) and per request. */
const USD_PER_GB_SECOND = 0.0000133334;
const USD_PER_MILLION_REQUESTS = 0.2;
/** Share of invocations that start cold, for the cost: 1 % (a function idle for minutes at a time). */
const COLD_SHARE = 0.01;

const log = logger('memory');

/** Runs `args` with `binary` inside a cgroup holding it to `share` of one CPU; its stdout. */
function underQuota(
  group: string,
  share: number,
  binary: string,
  args: string[],
  input: string,
  env: NodeJS.ProcessEnv,
) {
  const dir = join(CGROUP, group);
  if (!existsSync(dir)) mkdirSync(dir);
  writeFileSync(join(dir, 'cpu.cfs_period_us'), String(PERIOD_US));
  writeFileSync(join(dir, 'cpu.cfs_quota_us'), String(Math.round(PERIOD_US * share)));
  // The shell puts itself in the group, then becomes Node: every thread of Node is held.
  const script = `echo $$ > ${dir}/cgroup.procs && exec "$0" "$@"`;
  return execFileSync('/bin/sh', ['-c', script, binary, ...args], {
    input,
    env,
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
}

/** What every size runs: the asset, Lambda's Node and the exec wrapper's flags, one profile's GET. */
interface Fixture {
  lambdaJs: string;
  binary: string;
  flags: string[];
  event: ReturnType<typeof restEvent>;
  env: NodeJS.ProcessEnv;
}

async function main(): Promise<void> {
  if (!existsSync(join(CGROUP, 'cpu.cfs_quota_us'))) {
    throw new Error(
      `No cgroup v1 cpu controller at ${CGROUP}: cannot hold the process to a CPU share.`,
    );
  }
  mkdirSync(buildDir, { recursive: true });
  const lambdaJs = join(buildDir, 'memory-lambda.js');
  await buildBundle('lambda', { outfile: lambdaJs });
  const { binary, version } = lambdaNode(buildDir);
  const flags = wrapperFlags(join(httpDir, 'lambda-node-flags.sh'));
  const ddb = await startDynamoDbLocal({});
  try {
    const { event, env } = await oneProfile(ddb.endpoint);
    const rows = [];
    for (const memoryMb of SIZES) {
      const row = measureSize(memoryMb, { lambdaJs, binary, flags, event, env });
      log(JSON.stringify(row));
      rows.push(row);
    }
    writeOut({
      measuredAt: new Date().toISOString(),
      runtime: `Node.js ${version} (${process.arch})`,
      coldRuns: COLD_RUNS,
      warmCount: WARM_COUNT,
      coldShare: COLD_SHARE,
      rows,
    });
  } finally {
    await ddb.stop();
  }
}

/** A table with one profile on DynamoDB Local at `endpoint`; the GET event and the env to run it. */
async function oneProfile(endpoint: string) {
  const { profile, env } = await tableWithOneProfile(endpoint, 'bench-memory', {
    email: 'memory@example.com',
    firstName: 'Memory',
    lastName: 'Size',
  });
  return {
    event: restEvent({ method: 'GET', path: `/users/${profile.userId}` }),
    env: { ...env, LOG_LEVEL: 'info' },
  };
}

/** Cold starts and warm invocations at the CPU share of `memoryMb`, and their cost. */
function measureSize(memoryMb: number, f: Fixture): MemorySizes['rows'][number] {
  const share = memoryMb / FULL_VCPU_MB;
  const group = `userprofile-bench-${memoryMb}`;
  const cold: number[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    const out = underQuota(
      group,
      share,
      f.binary,
      [...f.flags, join(httpDir, 'scripts/invoke-bundle.cjs'), f.lambdaJs],
      JSON.stringify([f.event]),
      f.env,
    );
    const { ms, results } = bundleOutput(out);
    if (results[0]?.statusCode !== 200)
      throw new Error(`cold start at ${memoryMb} MB answered ${results[0]?.statusCode}`);
    cold.push(ms);
  }
  const warmOut = underQuota(
    group,
    share,
    f.binary,
    [...f.flags, join(__dirname, 'warm-invoke.cjs'), f.lambdaJs, String(WARM_COUNT)],
    JSON.stringify(f.event),
    f.env,
  );
  const warm = JSON.parse(warmOut.trim().split('\n').at(-1)!) as { p50: number; p99: number };
  rmdirSync(join(CGROUP, group));
  const gb = memoryMb / 1024;
  // Billed duration is rounded up to the millisecond; the init phase is billed as well.
  const perRequest =
    (Math.ceil(warm.p50) * (1 - COLD_SHARE) + Math.ceil(median(cold) + warm.p50) * COLD_SHARE) /
    1000;
  const usdPerMillion = perRequest * gb * USD_PER_GB_SECOND * 1e6 + USD_PER_MILLION_REQUESTS;
  return {
    memoryMb,
    cpuShare: Number(share.toFixed(3)),
    coldMs: Math.round(median(cold)),
    warmP50Ms: Number(warm.p50.toFixed(1)),
    warmP99Ms: Number(warm.p99.toFixed(1)),
    usdPerMillion: Number(usdPerMillion.toFixed(2)),
  };
}

/** The figures saved, the report re-rendered with them (from the last full run), a table printed. */
function writeOut(result: MemorySizes): void {
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(
    join(root, 'bench/results/memory-sizes.json'),
    `${JSON.stringify(result, null, 2)}\n`,
  );
  const latest = JSON.parse(
    readFileSync(join(root, 'bench/results/latest.json'), 'utf8'),
  ) as Results;
  writeFileSync(join(root, 'docs/benchmarks.md'), renderReport(latest, result));
  process.stdout.write(
    [
      '| memory | CPU share | cold start (median) | warm p50 | warm p99 | USD per million requests |',
      '| ---: | ---: | ---: | ---: | ---: | ---: |',
      ...result.rows.map(
        (r) =>
          `| ${r.memoryMb} MB | ${r.cpuShare} | ${r.coldMs} ms | ${r.warmP50Ms} ms | ${r.warmP99Ms} ms | ${r.usdPerMillion} |`,
      ),
    ].join('\n') + '\n',
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
