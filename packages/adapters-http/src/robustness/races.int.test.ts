import { DynamoUserProfileRepository } from '@userprofile/adapters-dynamo';
import {
  checkInvariants,
  createTestTable,
  testClients,
} from '@userprofile/adapters-dynamo/testing';
import type { UserProfile } from '@userprofile/domain';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../testing/test-app';

/** Concurrent clients against the real app on DynamoDB Local; the table is checked after each race. */
const N = Number(process.env.RACE_N ?? 12);
let app: FastifyInstance;
let table: Awaited<ReturnType<typeof createTestTable>>;
let repository: DynamoUserProfileRepository;
let races = 0;

beforeEach(async () => {
  table = await createTestTable();
  repository = new DynamoUserProfileRepository(testClients().documentClient, table);
  ({ app } = await buildTestApp({ repository }));
});
afterEach(async () => {
  expect(await checkInvariants(await table.contents(), repository)).toEqual([]);
  races++;
  await app.close();
  await table.drop();
});
afterAll(() =>
  process.stdout.write(
    `\n[races] ${races} races of ${N} parallel clients, invariants checked after each\n`,
  ),
);

const create = (email: string) =>
  app.inject({
    method: 'POST',
    url: '/users',
    payload: { email, firstName: 'Race', lastName: 'Runner' },
  });
const put = (id: string, payload: object, ifMatch?: string) =>
  app.inject({
    method: 'PUT',
    url: `/users/${id}`,
    payload,
    headers: ifMatch ? { 'if-match': ifMatch } : {},
  });
const statuses = (responses: { statusCode: number }[]) => responses.map((r) => r.statusCode).sort();

it('lets exactly one of N parallel creates with one e-mail (any case) win', async () => {
  const variants = ['one@example.com', 'ONE@example.com', 'One@Example.Com', ' one@EXAMPLE.COM'];
  const responses = await Promise.all(
    Array.from({ length: N }, (_, i) => create(variants[i % variants.length]!)),
  );
  expect(statuses(responses)).toEqual([201, ...Array<number>(N - 1).fill(409)]);
  const items = await table.scanAll();
  expect(items.filter((i) => i.itemType === 'PROFILE')).toHaveLength(1);
  expect(items.filter((i) => i.itemType === 'EMAIL')).toHaveLength(1);
});

it('lets exactly one of N parallel updates with the same If-Match win; the rest get 412', async () => {
  const { userId } = (await create('target@example.com')).json() as UserProfile;
  const responses = await Promise.all(
    Array.from({ length: N }, (_, i) => put(userId, { lastName: `Writer ${i}` }, '"1"')),
  );
  expect(statuses(responses)).toEqual([200, ...Array<number>(N - 1).fill(412)]);
  const winner = responses.find((r) => r.statusCode === 200)!.json() as UserProfile;
  expect((await app.inject({ url: `/users/${userId}` })).json()).toEqual(winner);
});

it('keeps every blind update (no If-Match) when N run at once', async () => {
  const { userId } = (await create('blind@example.com')).json() as UserProfile;
  const responses = await Promise.all(
    Array.from({ length: 4 }, (_, i) => put(userId, { metadata: { [`w${i}`]: i } })),
  );
  // Each either applied on top of the others (retried on a fresh read) or said 409 after three lost races.
  const applied = responses.filter((r) => r.statusCode === 200).length;
  expect(responses.every((r) => r.statusCode === 200 || r.statusCode === 409)).toBe(true);
  expect(((await app.inject({ url: `/users/${userId}` })).json() as UserProfile).version).toBe(
    1 + applied,
  );
});

it('stays consistent when profiles swap e-mails concurrently', async () => {
  const a = (await create('a@example.com')).json() as UserProfile;
  const b = (await create('b@example.com')).json() as UserProfile;
  const c = (await create('c@example.com')).json() as UserProfile;
  for (let round = 0; round < 3; round++) {
    const responses = await Promise.all([
      put(a.userId, { email: 'b@example.com' }),
      put(b.userId, { email: 'c@example.com' }),
      put(c.userId, { email: 'a@example.com' }),
      put(a.userId, { email: `a${round}@example.com` }),
      put(b.userId, { email: 'a@example.com' }),
    ]);
    expect(responses.every((r) => [200, 409].includes(r.statusCode))).toBe(true);
    expect(await checkInvariants(await table.contents(), repository)).toEqual([]);
  }
});

it('stays consistent when deletes race updates of the same profile', async () => {
  const ids = await Promise.all(
    Array.from(
      { length: 4 },
      async (_, i) => ((await create(`dv${i}@example.com`)).json() as UserProfile).userId,
    ),
  );
  const responses = await Promise.all(
    ids.flatMap((id, i) => [
      app.inject({ method: 'DELETE', url: `/users/${id}` }),
      put(id, { email: `moved${i}@example.com` }),
      put(id, { firstName: 'Late' }),
    ]),
  );
  expect(responses.every((r) => [200, 204, 404, 409].includes(r.statusCode))).toBe(true);
  // Every address is usable again unless a surviving profile holds it: which one it is depends
  // on how the race went, so read it first and expect exactly that.
  for (let i = 0; i < ids.length; i++) {
    const survivor = await app.inject({ url: `/users/${ids[i]}` });
    const heldStill =
      survivor.statusCode === 200 &&
      (survivor.json() as UserProfile).email === `dv${i}@example.com`;
    const res = await create(`dv${i}@example.com`);
    expect([i, res.statusCode]).toEqual([i, heldStill ? 409 : 201]);
  }
});
