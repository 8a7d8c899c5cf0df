/** Section 1: the listening service against a bare server and the database's own limit. */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
// Plain modules of the HTTP adapter (no decorators), for a development token of the jwt-mode run.
import { mintDevToken } from '../packages/adapters-http/src/auth/dev-keys';
import { loadConfig } from '../packages/adapters-http/src/config';
import { startCommandNodeFlags } from '../packages/adapters-http/src/testing/start-command';
import type { Bundles } from './bundles';
import {
  dbLimit,
  load,
  loadPost,
  medianFigure,
  peakRssMb,
  processCpuUs,
  startServer,
} from './load';
import { tableWithOneProfile } from './one-profile';
import { P, buildDir, log } from './parameters';
import type { Figure, Results } from './results';

/** The Node flags of the start command: every server gets them, so they compare like for like. */
export const SERVER_NODE_FLAGS = startCommandNodeFlags();

/**
 * Section 1: the listening service (open and jwt mode) against a bare server and the database's
 * own limit, in alternating rounds after a discarded warm-up; and the servers' peak memory.
 */
export async function measureHttp(
  endpoint: string,
  env: NodeJS.ProcessEnv,
  bundles: Bundles,
  children: ChildProcess[],
) {
  // The profile and search tables (by the name the server derives from TABLE_NAME), one profile.
  const tableName = 'bench-http';
  const { profile } = await tableWithOneProfile(endpoint, tableName, {
    email: 'bench@example.com',
    firstName: 'Bench',
    lastName: 'Mark',
    metadata: { plan: 'pro' },
  });
  const { service, serviceJwt, baseline, serviceBeside, bearer } = await startServers({
    env,
    bundles,
    children,
    tableName,
    profile,
  });
  // The service's GET and the same reads bare, answered by one process (ADR 0027).
  const sameReadsInService = `http://127.0.0.1:3104/same-reads/${profile.userId}`;

  // Warm-up, discarded: JIT of both servers and of DynamoDB Local's JVM.
  log('warming up');
  const get = (port: number) => `http://127.0.0.1:${port}/users/${profile.userId}`;
  await load(get(3100), P.warmupSeconds);
  await load(get(3101), P.warmupSeconds);
  const sameReads = `http://127.0.0.1:3101/same-reads/${profile.userId}`;
  await load(sameReads, P.warmupSeconds);
  await load(get(3103), P.warmupSeconds);
  await load(sameReadsInService, P.warmupSeconds);
  await load(get(3102), P.warmupSeconds, bearer);
  await load('http://127.0.0.1:3100/users?limit=20', P.warmupSeconds);
  await load('http://127.0.0.1:3101/same-list', P.warmupSeconds);

  const runs: Record<keyof Results['http'], Figure[]> = {
    serviceGet: [],
    serviceGetJwt: [],
    baselineGet: [],
    baselineGetSameReads: [],
    serviceGetBeside: [],
    serviceProcessSameReads: [],
    dbLimitGet: [],
    servicePost: [],
    baselinePost: [],
    serviceList: [],
    baselineList: [],
  };
  const measure = async (name: keyof typeof runs, figure: Figure | Promise<Figure>) => {
    const f = await figure;
    log(`  ${name}: ${Math.round(f.rps)} req/s, p50 ${f.p50} ms, p99 ${f.p99} ms`);
    runs[name].push(f);
  };
  // Every GET round before any create: DynamoDB Local slows, and unevenly, as the creates' items
  // and stream records pile up (ADR 0029), which had the GET runs of later rounds compare database
  // states rather than servers.
  for (let round = 1; round <= P.rounds; round++) {
    log(`HTTP GET round ${round}/${P.rounds}`);
    // The GET runs the budgets compare, in the reverse order every other round: a process loaded
    // first after idling runs slower for a while (ADR 0028), and a fixed order gave that to one side.
    const gets: [keyof typeof runs, string][] = [
      ['serviceGet', get(3100)],
      ['baselineGet', get(3101)],
      ['baselineGetSameReads', sameReads],
      ['serviceGetBeside', get(3103)],
      ['serviceProcessSameReads', sameReadsInService],
    ];
    for (const [name, url] of round % 2 === 1 ? gets : gets.reverse()) {
      await measure(name, load(url));
    }
    await measure('serviceGetJwt', load(get(3102), P.seconds, bearer));
    await measure('dbLimitGet', dbLimit(env, tableName, profile.userId));
  }
  await createAndListRounds(measure, [service, serviceJwt, serviceBeside]);
  const serverPeakRssMb = peakRssMb(service.pid!);
  const baselinePeakRssMb = peakRssMb(baseline.pid!);
  for (const child of children.splice(0)) child.kill('SIGTERM');
  const http = Object.fromEntries(
    Object.entries(runs).map(([k, v]) => [k, medianFigure(v)]),
  ) as Results['http'];
  return { profile, tableName, http, serverPeakRssMb, baselinePeakRssMb };
}

/**
 * The create and list runs, after every GET round: the service's, then the bare server doing the
 * same in the database (ADR 0029), so that the memory budget compares the two processes under the
 * same load, not the service's creates and lists against nothing.
 */
async function createAndListRounds(
  measure: (name: keyof Results['http'], figure: Promise<Figure>) => Promise<void>,
  services: ChildProcess[],
): Promise<void> {
  for (let round = 1; round <= P.rounds; round++) {
    log(`HTTP create and list round ${round}/${P.rounds}`);
    await measure('servicePost', loadPost('http://127.0.0.1:3100'));
    await measure('baselinePost', loadPost('http://127.0.0.1:3101', '/same-create'));
    // The creates' change events are read from the stream and recorded after their answers, by
    // every service (each runs the local change feed on the table): the list runs measure them
    // at rest, not while either records a backlog of events.
    for (const service of services) await settled(service.pid!);
    await measure('serviceList', load('http://127.0.0.1:3100/users?limit=20'));
    await measure('baselineList', load('http://127.0.0.1:3101/same-list'));
  }
}

/**
 * The servers of section 1, each with the start command's flags: the service (open and jwt mode,
 * with a token of the profile's owner), the bare server, and a third service built in one bundle
 * with the bare server's routes (ADR 0027).
 */
async function startServers({
  env,
  bundles,
  children,
  tableName,
  profile,
}: {
  env: NodeJS.ProcessEnv;
  bundles: Bundles;
  children: ChildProcess[];
  tableName: string;
  profile: { userId: string; email: string };
}) {
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
  const serviceJwt = await server(bundles.serverJs, 3102, jwtEnv);
  const baseline = await server(bundles.baselineServerJs, 3101);
  // The same reads inside a service's process: a third service, built in one bundle with the bare
  // server's routes, which answer on a port of their own. Its GET against them is the request
  // pipeline's cost; they against the bare server, what sharing the process costs (ADR 0027).
  const serviceBeside = await server(bundles.serverWithSameReadsJs, 3103, {
    BASELINE_PORT: '3104',
  });
  return { service, serviceJwt, baseline, serviceBeside, bearer };
}

/**
 * Waits until the process `pid` uses under 5 % of a core over a second (at most a minute): done
 * with the work its last load left behind.
 */
async function settled(pid: number): Promise<void> {
  const until = Date.now() + 60_000;
  for (let last = processCpuUs(pid); Date.now() < until;) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = processCpuUs(pid);
    if (now - last < 50_000) return; // under 5 % of a core over the second
    last = now;
  }
  log(`process ${pid} was still busy after a minute`);
}
