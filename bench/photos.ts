/**
 * Photos under abuse (issue #24), on the bundled local server in jwt mode with DynamoDB Local and
 * an S3 server of its own:
 *   1. the time to refuse a JPEG scan bomb (1,000 scans, 8000x5000, 160 KB);
 *   2. another user's `GET /users/me` and ordinary photo commit while one user commits four scan
 *      bombs, and while one user commits four allowed 40-megapixel 16-bit PNGs;
 *   3. the peak RSS of the server (and of its photo worker, if any) over those four PNGs.
 * Usage: pnpm bench:photos [--server <server.js>] [--label <name>]
 *   --server: a bundled server to measure (default: this tree's, built now), so an older build
 *   (`git worktree add /tmp/old <commit>`, install, `node scripts/bundle.mjs server`) is measured
 *   by the same code.
 */
import { startDynamoDbLocal, waitForHttp, freePort } from '@userprofile/local-servers';
import { postUpload, startTestS3 } from '@userprofile/adapters-s3/testing';
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { mintDevToken } from '../packages/adapters-http/src/auth/dev-keys';
import { loadConfig } from '../packages/adapters-http/src/config';
import { buildBundle } from '../packages/adapters-http/src/testing/invoke-bundle';
import { startCommandNodeFlags } from '../packages/adapters-http/src/testing/start-command';
import {
  costlyPng,
  plainPng,
  scanBombJpeg,
} from '../packages/adapters-images/src/testing/photo-fixtures';
import { median } from './stats';

const root = join(__dirname, '..');
/** GETs that got no 200 (a closed connection, an error status). */
let unanswered = 0;
const httpDir = join(root, 'packages/adapters-http');

interface Latencies {
  getsUnanswered: number;
  /** Another user's GET /users/me during the load: median and max, ms. */
  getP50: number;
  getMax: number;
  gets: number;
  /** Another user's commit of a 500x300 PNG during the load, ms, and its status. */
  commitMs: number;
  commitStatus: number | string;
  /** The four commits of the load: statuses, and the slowest, ms. */
  loadStatuses: (number | string)[];
  loadMaxMs: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { server: { type: 'string' }, label: { type: 'string' } },
  });
  const label = values.label ?? 'current';
  let serverJs = values.server;
  if (!serverJs) {
    serverJs = join(httpDir, 'dist', `server-bench-photos.js`);
    await buildBundle('server', { outfile: serverJs, metafile: false });
  }
  const dir = mkdtempSync(join(tmpdir(), 'bench-photos-'));
  const ddb = await startDynamoDbLocal({ heapMb: 1024 });
  const s3 = await startTestS3('bench-photos');
  const port = await freePort();
  const env = {
    PATH: process.env.PATH,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    DATA_DIR: dir,
    ENVIRONMENT: 'local',
    AUTH_MODE: 'jwt',
    AUTH_DEV_KEYS: 'true',
    DYNAMODB_ENDPOINT: ddb.endpoint,
    TABLE_NAME: `bench-photos-${randomUUID()}`,
    S3_ENDPOINT: s3.endpoint,
    PHOTOS_BUCKET: s3.bucket,
    // Writes are limited per user (60 a minute): far above what this does.
  };
  const server = spawn(process.execPath, [...startCommandNodeFlags(), serverJs], {
    cwd: dirname(dirname(serverJs)),
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/health/ready`, server, 60_000, (res) => res.ok);
    const config = loadConfig(env);
    const token = async () => {
      const sub = randomUUID();
      const jwt = await mintDevToken(config, { sub, email: `${sub}@example.com` });
      return { authorization: `Bearer ${jwt}` };
    };
    const api = (auth: Record<string, string>) => photoUser(url, auth);

    const bomb = scanBombJpeg(1_000).bytes;
    const bigPng = (await costlyPng()).bytes;
    const ordinary = (await plainPng()).bytes;

    // 1. Refusing a scan bomb (three commits, each its own upload).
    const attacker = api(await token());
    await attacker.create();
    const refusals: { status: number | string; ms: number }[] = [];
    for (let i = 0; i < 3; i++) {
      refusals.push(await attacker.commit(await attacker.upload(bomb, 'image/jpeg')));
    }

    // 2. Another user while four scan bombs, then four 40 MP PNGs, are committed at once.
    const underBombs = await underLoad(api, token, bomb, 'image/jpeg', ordinary);
    const rss = sampleRss(server.pid!);
    const underPngs = await underLoad(api, token, bigPng, 'image/png', ordinary);
    const peak = rss.stop();

    save({
      label,
      server: serverJs,
      bombRefusal: {
        statuses: refusals.map((r) => r.status),
        medianMs: median(refusals.map((r) => r.ms)),
        maxMs: Math.max(...refusals.map((r) => r.ms)),
      },
      underFourScanBombs: underBombs,
      underFour40MpPngs: underPngs,
      peakRssMb: peak,
      bigPngBytes: bigPng.byteLength,
    });
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    await s3.stop();
    await ddb.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Prints the figures and keeps them for the report (bench/results/photos-<label>.json). */
function save(figures: { label: string } & Record<string, unknown>): void {
  const results = { ...figures, node: process.version, at: new Date().toISOString() };
  console.log(JSON.stringify(results, null, 2));
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(
    join(root, `bench/results/photos-${figures.label}.json`),
    `${JSON.stringify(results, null, 2)}\n`,
  );
}

/** One signed-in user of the server at `url`: the calls the benchmark makes, timed. */
function photoUser(url: string, auth: Record<string, string>) {
  return {
    async create() {
      await settle(url);
      const res = await fetch(`${url}/users`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ firstName: 'B', lastName: 'Ench' }),
      });
      if (res.status !== 201) throw new Error(`create: ${res.status} ${await res.text()}`);
    },
    async upload(bytes: Uint8Array, contentType: string) {
      const res = await fetch(`${url}/users/me/photo`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ contentType, contentLength: bytes.byteLength }),
      });
      const ticket = (await res.json()) as { uploadId: string; url: string; fields: never };
      const posted = await postUpload(ticket, bytes, contentType);
      if (posted.status !== 204) throw new Error(`upload: ${posted.status}`);
      return ticket.uploadId;
    },
    async commit(uploadId: string) {
      const started = performance.now();
      try {
        const res = await fetch(`${url}/users/me/photo`, {
          method: 'PUT',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ uploadId }),
        });
        const body = (await res.json()) as { code?: string };
        const status = res.status === 200 ? 200 : `${res.status} ${body.code}`;
        return { status, ms: performance.now() - started };
      } catch {
        // The server closed the connection without an answer (its request timeout).
        return { status: 'no answer', ms: performance.now() - started };
      }
    },
    async get() {
      const started = performance.now();
      try {
        const res = await fetch(`${url}/users/me`, { headers: auth });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`get: ${res.status}`);
      } catch {
        unanswered += 1; // counted, with the time it took to fail
      }
      return performance.now() - started;
    },
  };
}

type PhotoUser = ReturnType<typeof photoUser>;

/** Four commits of `file` by one user at once; meanwhile another user's GETs and one commit. */
async function underLoad(
  api: (auth: Record<string, string>) => PhotoUser,
  token: () => Promise<Record<string, string>>,
  file: Uint8Array,
  contentType: string,
  ordinary: Uint8Array,
): Promise<Latencies> {
  const heavy = await Promise.all([0, 1, 2, 3].map(async () => api(await token())));
  for (const user of heavy) await user.create();
  const uploads = await Promise.all(heavy.map((user) => user.upload(file, contentType)));
  const other = api(await token());
  await other.create();
  const otherUpload = await other.upload(ordinary, 'image/png');
  await other.get(); // warm: its key is cached

  let loading = true;
  const load = Promise.all(heavy.map((user, i) => user.commit(uploads[i]!))).finally(() => {
    loading = false;
  });
  const gets: number[] = [];
  const getting = (async () => {
    while (loading) {
      gets.push(await other.get());
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  await new Promise((resolve) => setTimeout(resolve, 100));
  const commit = await other.commit(otherUpload);
  const loaded = await load;
  await getting;
  const failed = unanswered;
  unanswered = 0;
  return {
    getsUnanswered: failed,
    getP50: median(gets),
    getMax: Math.max(...gets),
    gets: gets.length,
    commitMs: commit.ms,
    commitStatus: commit.status,
    loadStatuses: loaded.map((r) => r.status),
    loadMaxMs: Math.max(...loaded.map((r) => r.ms)),
  };
}

/** The largest resident memory of the process and of its children (the photo worker), MB. */
function sampleRss(pid: number): { stop(): { server: number; worker: number; total: number } } {
  const rssMb = (p: number) => {
    try {
      const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1];
      return Number(kb ?? 0) / 1024;
    } catch {
      return 0;
    }
  };
  const children = () => {
    try {
      return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .filter(Boolean)
        .map(Number);
    } catch {
      return [];
    }
  };
  const peak = { server: 0, worker: 0, total: 0 };
  const timer = setInterval(() => {
    const server = rssMb(pid);
    const worker = children().reduce((sum, child) => sum + rssMb(child), 0);
    peak.server = Math.max(peak.server, server);
    peak.worker = Math.max(peak.worker, worker);
    peak.total = Math.max(peak.total, server + worker);
  }, 50);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

/**
 * Waits until the server answers its health check within 100 ms three times running (at most
 * three minutes): a server that accepted costly photos may still be decoding them after it has
 * answered, or dropped, their requests.
 */
async function settle(url: string): Promise<void> {
  const until = Date.now() + 180_000;
  let quick = 0;
  while (quick < 3 && Date.now() < until) {
    const started = performance.now();
    const ok = await fetch(`${url}/health`).then(
      (res) => res.ok,
      () => false,
    );
    quick = ok && performance.now() - started < 100 ? quick + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
