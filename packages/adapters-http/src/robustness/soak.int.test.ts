import { freePort, waitForHttp } from '@userprofile/local-servers';
import { testEndpoint } from '@userprofile/adapters-dynamo/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { buildServerBundle, packageDir } from '../testing/bundled-local-server';
import { startCommandNodeFlags } from '../testing/start-command';

/**
 * A soak: the real local server process under a mixed workload at a fixed rate for a fixed time
 * (SOAK_MS, default 20 s; SOAK_RPS, default 40). No 5xx, and memory stays flat.
 */
const SOAK_MS = Number(process.env.SOAK_MS ?? 20_000);
const RPS = Number(process.env.SOAK_RPS ?? 40);

let server: ChildProcess;
let base: string;
let removeBundle = () => {};

beforeAll(async () => {
  const { serverJs, remove } = await buildServerBundle('soak-server');
  removeBundle = remove;
  const port = await freePort();
  // With the Node flags of the start command (`pnpm start`): the server as users run it.
  server = spawn(process.execPath, [...startCommandNodeFlags(), serverJs], {
    cwd: packageDir,
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      S3_PORT: '0',
      DYNAMODB_ENDPOINT: testEndpoint(),
      TABLE_NAME: `soak-${randomUUID()}`,
    },
    stdio: 'ignore',
  });
  base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/health/ready`, server, 20_000, (res) => res.ok);
}, 60_000);
afterAll(() => {
  server.kill('SIGTERM');
  removeBundle();
});

const rssMb = () =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1]) / 1024;

it(
  'serves a mixed workload with no error but a 503 with Retry-After, no acknowledged create lost, and flat memory',
  async () => {
    const statuses: Record<string, number> = {};
    let missingRetryAfter = 0;
    const ids: { id: string; version: number }[] = [];
    const step = async (i: number) => {
      const json = { 'content-type': 'application/json' };
      let res: Response;
      const target = ids[i % Math.max(1, ids.length)];
      switch (target ? i % 6 : 0) {
        case 0:
          res = await fetch(`${base}/users`, {
            method: 'POST',
            headers: { ...json, 'idempotency-key': randomUUID() },
            body: JSON.stringify({
              email: `soak${i}-${randomUUID()}@example.com`,
              firstName: 'Soak',
              lastName: `${i}`,
              metadata: { i },
            }),
          });
          if (res.status === 201) {
            const p = (await res.json()) as { userId: string; version: number };
            ids.push({ id: p.userId, version: p.version });
          }
          break;
        case 1:
          res = await fetch(`${base}/users/${target!.id}`);
          break;
        case 2:
          res = await fetch(`${base}/users?limit=20`);
          break;
        case 3:
          res = await fetch(`${base}/users/${target!.id}`, {
            method: 'PUT',
            headers: { ...json, 'if-match': `"${target!.version}"` },
            body: JSON.stringify({ lastName: `v${i}` }),
          });
          if (res.ok) target!.version++;
          break;
        case 4:
          res = await fetch(`${base}/users/${target!.id}`, {
            method: 'PATCH',
            headers: { 'content-type': 'application/merge-patch+json' },
            body: JSON.stringify({ metadata: { patched: i } }),
          });
          if (res.ok) target!.version = ((await res.json()) as { version: number }).version;
          break;
        default:
          res = await fetch(`${base}/users/${ids.shift()!.id}`, { method: 'DELETE' });
      }
      // A 409 is counted by its code: only VERSION_CONFLICT (a blind write that lost its races
      // to the PUTs, PATCHes and DELETEs on the same profile) is a designed answer here.
      const status =
        res.status === 409 ? `409 ${((await res.json()) as { code: string }).code}` : res.status;
      if (!res.bodyUsed) await res.arrayBuffer();
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (res.status === 503 && !res.headers.get('retry-after')) missingRetryAfter += 1;
    };

    // Warm up: sequentially, then at the soak's own rate for as long again, so that memory is
    // measured from the plateau the load brings (sockets, heap growth), not from an idle server:
    // a 60 s run climbed 145 -> 240 MB in its first half and 240 -> 246 MB in its second.
    for (let i = 0; i < 50; i++) await step(i);
    const inflight: Promise<void>[] = [];
    let i = 50;
    const atRate = async (ms: number) => {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        inflight.push(step(i++));
        await new Promise((r) => setTimeout(r, 1000 / RPS));
      }
    };
    await atRate(SOAK_MS);
    const startRss = rssMb();
    await atRate(SOAK_MS / 2);
    const midRss = rssMb();
    await atRate(SOAK_MS / 2);
    await Promise.all(inflight);
    const endRss = rssMb();
    const total = Object.values(statuses).reduce((a, b) => a + b, 0);
    process.stdout.write(
      `\n[soak] ${total} requests in ${(SOAK_MS * 2) / 1000} s at ${RPS}/s: ${JSON.stringify(statuses)}; server RSS ${startRss.toFixed(1)} MB after the warm-up, ${midRss.toFixed(1)} MB half-way, ${endRss.toFixed(1)} MB at end\n`,
    );

    // What must hold under any load (#28): 503 (storage's deadline passed: this machine is busy)
    // is the designed answer and says when to retry; nothing else is a 5xx, and no acknowledged
    // create is lost. 404 and 412 are right answers when a delete or another update got there first,
    // and 409 VERSION_CONFLICT when a blind PATCH lost every retry to them.
    const designed = ['200', '201', '204', '404', '409 VERSION_CONFLICT', '412', '503'];
    expect(Object.keys(statuses).filter((s) => !designed.includes(s))).toEqual([]);
    expect(missingRetryAfter).toBe(0);
    const lost: string[] = [];
    for (const { id } of ids) {
      let status = 503;
      for (let attempt = 0; attempt < 10 && status === 503; attempt++) {
        const res = await fetch(`${base}/users/${id}`);
        status = res.status;
        await res.arrayBuffer();
        if (status === 503) await new Promise((r) => setTimeout(r, 1000));
      }
      if (status !== 200) lost.push(`${id}: ${status}`);
    }
    expect(lost).toEqual([]);
    expect(endRss - startRss).toBeLessThan(64);
  },
  SOAK_MS * 2 + 120_000,
);
