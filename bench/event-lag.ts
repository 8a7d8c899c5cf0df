// Event lag from commit to webhook receipt, locally: the bundled server on DynamoDB Local (its
// stream read by the server's own reader), a webhook receiver on loopback, writes at a steady
// rate (creates, then changes of the profiles made). The first `--warmup` seconds of writes warm
// the freshly started JVM and server; their lags are reported apart, the next `--seconds` are
// the measured window. Prints p50/p99 of (receipt - commit answer) and checks that every
// committed change, warm-up included, arrived exactly once. Each run is kept in
// bench/results/events.json (one per rate and duration, the latest), which section 7 of
// docs/benchmarks.md is rendered from.
// Usage: pnpm bench:events [--rate 50] [--seconds 20] [--warmup 10]
import { startDynamoDbLocal, waitForHttp, freePort } from '@userprofile/local-servers';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildBundle } from '../packages/adapters-http/src/testing/invoke-bundle';
import { startCommandNodeFlags } from '../packages/adapters-http/src/testing/start-command';
import type { EventLagRun } from './results';

const httpDir = join(__dirname, '..', 'packages/adapters-http');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { rate: { type: 'string' }, seconds: { type: 'string' }, warmup: { type: 'string' } },
  });
  const loadBefore = loadavg()[0]!;
  const rate = Number(values.rate ?? 50);
  const seconds = Number(values.seconds ?? 20);
  const warmup = Number(values.warmup ?? 10);
  const serverJs = join(httpDir, 'dist', 'server-bench-events.js');
  await buildBundle('server', { outfile: serverJs, metafile: false });
  const received = new Map<string, number>();
  let duplicates = 0;
  const receiver = createServer((req, res) => {
    const id = String(req.headers['webhook-id']);
    if (received.has(id)) duplicates++;
    else received.set(id, performance.now());
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const dir = mkdtempSync(join(tmpdir(), 'bench-events-'));
  const ddb = await startDynamoDbLocal({ heapMb: 1024 });
  const port = await freePort();
  const server = spawn(process.execPath, [...startCommandNodeFlags(), serverJs], {
    cwd: dirname(dirname(serverJs)),
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      DATA_DIR: dir,
      ENVIRONMENT: 'local',
      S3_PORT: '0',
      DYNAMODB_ENDPOINT: ddb.endpoint,
      TABLE_NAME: `bench-events-${randomUUID()}`,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/health/ready`, server, 60_000, (res) => res.ok);
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const registered = await post(`${url}/webhooks`, { url: hook });
    if (registered.status !== 201) throw new Error(`register: ${registered.status}`);
    const writes = await drive(url, rate, warmup, seconds);
    const all = writes.warmup.size + writes.measured.size;
    const until = Date.now() + 30_000;
    while (received.size < all && Date.now() < until) await sleep(100);
    const run = summarise({ rate, seconds, warmup, loadBefore, writes, received, duplicates });
    console.log(JSON.stringify(run));
    saveRun(run);
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    await ddb.stop();
    receiver.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Writes at `rate` per second for `warmup` then `seconds` seconds: a create, then changes of the
 * profiles made. Answers each committed change's event id (as the feed derives it) and when its
 * answer arrived, the warm-up's apart.
 */
async function drive(url: string, rate: number, warmup: number, seconds: number): Promise<Writes> {
  const writes: Writes = { warmup: new Map(), measured: new Map() };
  const profiles: { userId: string; createdAt: string; version: number; busy: boolean }[] = [];
  const pending: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; i < rate * (warmup + seconds); i++) {
    const due = started + (i * 1000) / rate;
    await sleep(Math.max(0, due - performance.now()));
    const committed = i < rate * warmup ? writes.warmup : writes.measured;
    const target = profiles.find((p) => !p.busy && Math.random() < 0.5);
    pending.push(target ? change(url, target, committed) : create(url, profiles, committed));
  }
  await Promise.all(pending);
  return writes;
}

/** Each committed change's event id and when its answer arrived: the warm-up's, the window's. */
interface Writes {
  warmup: Map<string, number>;
  measured: Map<string, number>;
}

/** The run's figures: lag from each committed change's answer to its event's first receipt. */
function summarise(m: {
  rate: number;
  seconds: number;
  warmup: number;
  loadBefore: number;
  writes: Writes;
  received: Map<string, number>;
  duplicates: number;
}): EventLagRun {
  const { rate, seconds, warmup, loadBefore, writes, received, duplicates } = m;
  if (process.env.BENCH_DEBUG) {
    const all = new Map([...writes.warmup, ...writes.measured]);
    console.error([...all.keys()].filter((id) => !received.has(id)).slice(0, 3));
    console.error([...received.keys()].filter((id) => !all.has(id)).slice(0, 3));
    console.error(secondBySecond(all, received).join('\n'));
  }
  const measured = lagsOf(writes.measured, received);
  const warm = lagsOf(writes.warmup, received);
  return {
    at: new Date().toISOString(),
    runtime: `Node.js ${process.version}`,
    loadAverage: [loadBefore, loadavg()[0]!],
    rate,
    seconds,
    committed: writes.measured.size,
    received: writes.measured.size - measured.missing,
    missing: measured.missing,
    duplicates,
    lagMs: measured.lagMs,
    warmup: { seconds: warmup, committed: writes.warmup.size, ...warm },
  };
}

/** Each second of writes (from the first answer): how many, and their largest lag. */
function secondBySecond(committed: Map<string, number>, received: Map<string, number>): string[] {
  const first = Math.min(...committed.values());
  const seconds = new Map<number, number[]>();
  for (const [id, at] of committed) {
    const got = received.get(id);
    const second = Math.floor((at - first) / 1000);
    if (got !== undefined) seconds.set(second, [...(seconds.get(second) ?? []), got - at]);
  }
  return [...seconds]
    .sort(([a], [b]) => a - b)
    .map(
      ([s, lags]) =>
        `second ${s}: ${lags.length} writes, lag max ${Math.round(Math.max(...lags))} ms`,
    );
}

/** p50, p99 and max of the lags of these changes, and how many never arrived. */
function lagsOf(committed: Map<string, number>, received: Map<string, number>) {
  const lags = [...committed].flatMap(([id, at]) => {
    const got = received.get(id);
    return got === undefined ? [] : [got - at];
  });
  lags.sort((a, b) => a - b);
  const pct = (p: number) =>
    Math.round(lags[Math.min(lags.length - 1, Math.floor(p * lags.length))] ?? NaN);
  return {
    missing: committed.size - lags.length,
    lagMs: { p50: pct(0.5), p99: pct(0.99), max: Math.round(lags.at(-1) ?? NaN) },
  };
}

/** Keeps the run in bench/results/events.json, in place of an earlier one of its rate and duration. */
function saveRun(run: EventLagRun): void {
  const file = join(__dirname, 'results/events.json');
  const runs = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as EventLagRun[]) : [];
  const others = runs.filter((r) => r.rate !== run.rate || r.seconds !== run.seconds);
  const sorted = [...others, run].sort((a, b) => a.rate - b.rate || a.seconds - b.seconds);
  writeFileSync(file, `${JSON.stringify(sorted, null, 2)}\n`);
}

const stamp = (iso: string) => Date.parse(iso).toString(36);

async function create(
  url: string,
  profiles: { userId: string; createdAt: string; version: number; busy: boolean }[],
  committed: Map<string, number>,
): Promise<void> {
  const n = randomUUID();
  const res = await post(`${url}/users`, {
    email: `${n}@example.com`,
    firstName: 'B',
    lastName: 'E',
  });
  if (res.status !== 201) return;
  const at = performance.now();
  const p = (await res.json()) as { userId: string; createdAt: string; version: number };
  committed.set(`${p.userId}.${stamp(p.createdAt)}.${p.version}`, at);
  profiles.push({ ...p, busy: false });
}

async function change(
  url: string,
  p: { userId: string; createdAt: string; version: number; busy: boolean },
  committed: Map<string, number>,
): Promise<void> {
  p.busy = true;
  const res = await fetch(`${url}/users/${p.userId}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/merge-patch+json' },
    body: JSON.stringify({ lastName: randomUUID().slice(0, 8) }),
  });
  const at = performance.now();
  if (res.ok) {
    const body = (await res.json()) as { version: number };
    p.version = body.version;
    committed.set(`${p.userId}.${stamp(p.createdAt)}.${p.version}`, at);
  }
  p.busy = false;
}

const post = (url: string, body: unknown) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
