import {
  createDynamoClients,
  DynamoUserProfileRepository,
  ensureSearchTable,
  ensureTable,
} from '@userprofile/adapters-dynamo';
import {
  checkInvariants,
  startPausableDynamoDb,
  type PausableDynamoDb,
  type TableContents,
} from '@userprofile/adapters-dynamo/testing';
import type { UserProfile } from '@userprofile/domain';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { randomUUID } from 'node:crypto';
import { buildTestApp } from '../testing/test-app';

/**
 * A database outage under steady load: DynamoDB Local is frozen for longer than the service's
 * storage timeout, then thawed. The app uses the production client settings (1 s per attempt,
 * 3 attempts). Lengths can be raised with OUTAGE_MS and LOAD_MS.
 */
const OUTAGE_MS = Number(process.env.OUTAGE_MS ?? 6_000);
const BEFORE_MS = 3_000;
const AFTER_MS = Number(process.env.LOAD_AFTER_MS ?? 4_000);
const RECOVERY_GRACE_MS = 1_500;
const INTERVAL_MS = 40; // 25 requests per second
const BOUND_MS = 6_000; // a refused request must be answered within this

interface Sample {
  kind: 'create' | 'read';
  start: number;
  end: number;
  res: LightMyRequestResponse;
  key?: string;
  body?: { email: string; firstName: string; lastName: string };
}

let db: PausableDynamoDb;
let app: FastifyInstance;
let repository: DynamoUserProfileRepository;
let scan: () => Promise<TableContents>;

beforeAll(async () => {
  db = await startPausableDynamoDb();
  const { client, documentClient } = createDynamoClients({ endpoint: db.endpoint }); // production timeouts
  const tableName = `faults-${randomUUID()}`;
  const searchTableName = `${tableName}-search`;
  await ensureTable(client, tableName);
  await ensureSearchTable(client, searchTableName);
  repository = new DynamoUserProfileRepository(documentClient, { tableName, searchTableName });
  ({ app } = await buildTestApp({ repository }));
  const all = async (TableName: string) => {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await documentClient.send(
        new ScanCommand({ TableName, ConsistentRead: true, ExclusiveStartKey }),
      );
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  };
  scan = async () => ({ items: await all(tableName), searchItems: await all(searchTableName) });
}, 60_000);
afterAll(async () => {
  await app.close();
  await db.stop();
});

it('answers 503 with Retry-After during an outage, nothing else outside it, and loses no acknowledged write', async () => {
  const seed = (
    await app.inject({
      method: 'POST',
      url: '/users',
      payload: { email: 'steady@example.com', firstName: 'S', lastName: 'T' },
    })
  ).json() as UserProfile;
  const samples: Sample[] = [];
  const inflight: Promise<void>[] = [];
  const t0 = Date.now();
  const pauseAt = t0 + BEFORE_MS;
  const resumeAt = pauseAt + OUTAGE_MS;
  const endAt = resumeAt + AFTER_MS;
  let paused = false;
  let resumed = false;
  let n = 0;

  while (Date.now() < endAt) {
    const now = Date.now();
    if (!paused && now >= pauseAt) {
      db.pause();
      paused = true;
    }
    if (paused && !resumed && now >= resumeAt) {
      db.resume();
      resumed = true;
    }
    const i = n++;
    inflight.push(
      (async () => {
        const start = Date.now();
        if (i % 2 === 0) {
          const key = randomUUID();
          const body = { email: `load${i}@example.com`, firstName: 'Load', lastName: `N${i}` };
          const res = await app.inject({
            method: 'POST',
            url: '/users',
            payload: body,
            headers: { 'idempotency-key': key },
          });
          samples.push({ kind: 'create', start, end: Date.now(), res, key, body });
        } else {
          const res = await app.inject({ url: `/users/${seed.userId}` });
          samples.push({ kind: 'read', start, end: Date.now(), res });
        }
      })(),
    );
    await new Promise((r) => setTimeout(r, INTERVAL_MS));
  }
  if (!resumed) db.resume();
  await Promise.all(inflight);

  const overlapsOutage = (s: Sample) => s.end >= pauseAt && s.start <= resumeAt + RECOVERY_GRACE_MS;
  const outside = samples.filter((s) => !overlapsOutage(s));
  const during = samples.filter(overlapsOutage);
  const refused = samples.filter((s) => s.res.statusCode === 503);

  // Outside the outage, everything succeeded: no spurious 503 from timeouts set too tight.
  expect(outside.filter((s) => s.res.statusCode >= 300).map((s) => s.res.statusCode)).toEqual([]);
  // During it, every answer is a success or a 503 problem with Retry-After, given in bounded time.
  expect(during.every((s) => s.res.statusCode < 300 || s.res.statusCode === 503)).toBe(true);
  expect(refused.length).toBeGreaterThan(0);
  for (const s of refused) {
    expect(s.res.headers['retry-after']).toBe('1');
    expect(s.res.json()).toMatchObject({ code: 'STORAGE_UNAVAILABLE', status: 503 });
    expect(s.end - s.start).toBeLessThan(BOUND_MS);
  }
  // The service recovered without a restart.
  expect((await app.inject({ url: '/health/ready' })).statusCode).toBe(200);

  // Every acknowledged create is there and findable by its e-mail.
  const acknowledged = samples.filter((s) => s.kind === 'create' && s.res.statusCode === 201);
  for (const s of acknowledged) {
    const found = await app.inject({ url: `/users?email=${encodeURIComponent(s.body!.email)}` });
    expect((found.json() as { users: UserProfile[] }).users).toEqual([s.res.json()]);
  }
  // A refused create is absent or whole; the client's retry with its key never gets a 409.
  const refusedCreates = refused.filter((s) => s.kind === 'create');
  for (const s of refusedCreates) {
    const retry = await app.inject({
      method: 'POST',
      url: '/users',
      payload: s.body,
      headers: { 'idempotency-key': s.key! },
    });
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toMatchObject({ email: s.body!.email });
  }
  const contents = await scan();
  expect(await checkInvariants(contents, repository)).toEqual([]);
  const stored = new Set(
    contents.items.filter((i) => i.itemType === 'PROFILE').map((i) => i.email),
  );
  const lost = acknowledged.filter((s) => !stored.has(s.body!.email));
  expect(lost).toEqual([]);

  process.stdout.write(
    `\n[faults] ${db.how}: outage ${OUTAGE_MS} ms under ${Math.round(1000 / INTERVAL_MS)} req/s; ${samples.length} requests, ` +
      `${refused.length} answered 503 (slowest ${Math.max(...refused.map((s) => s.end - s.start))} ms), ` +
      `${outside.length} outside the outage all 2xx; ${acknowledged.length} acknowledged creates checked, lost ${lost.length}; ` +
      `${refusedCreates.length} refused creates retried with their key: all 201\n`,
  );
}, 60_000);
