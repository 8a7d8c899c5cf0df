import { applyUpdate, newUserProfile, UsernameTaken, type UserProfile } from '@userprofile/domain';
import { testUserId } from '@userprofile/domain/testing';
import { createDynamoClients } from './dynamo-client';
import { DynamoUserProfileRepository } from './dynamo-user-profile-repository';
import { createTestTable, testClients, testEndpoint, checkInvariants } from './testing';

// Handles under contention, and the bounded work of batch reads, on DynamoDB Local.

let table: Awaited<ReturnType<typeof createTestTable>>;
let repo: DynamoUserProfileRepository;
beforeEach(async () => {
  table = await createTestTable();
  repo = new DynamoUserProfileRepository(testClients().documentClient, table);
});
afterEach(() => table.drop());

const at = new Date('2026-02-01T00:00:00.000Z');
const profile = (n: number, extra: object = {}): UserProfile =>
  newUserProfile(
    { email: `racer${n}@example.com`, firstName: 'R', lastName: `${n}`, ...extra },
    { userId: testUserId(7000 + n), now: at },
  );

it('gives a contested handle to exactly one of many concurrent claims by change', async () => {
  const racers = Array.from({ length: 8 }, (_, i) => profile(i));
  for (const p of racers) await repo.create(p);
  const outcomes = await Promise.allSettled(
    racers.map((p) => repo.update(p, applyUpdate(p, { username: 'Winner' }, at))),
  );
  const won = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [racers[i]!.userId] : []));
  expect(won).toHaveLength(1);
  for (const o of outcomes) {
    if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(UsernameTaken);
  }
  expect((await repo.findByUsername('winner'))?.userId).toBe(won[0]);
  expect(await checkInvariants(await table.contents(), repo)).toEqual([]);
}, 30_000);

it('gives a contested handle to exactly one of many concurrent creates, in any case', async () => {
  const racers = Array.from({ length: 8 }, (_, i) =>
    profile(100 + i, { username: i % 2 ? 'SAME_name' : 'same_NAME' }),
  );
  const outcomes = await Promise.allSettled(racers.map((p) => repo.create(p)));
  expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
  expect(await checkInvariants(await table.contents(), repo)).toEqual([]);
}, 30_000);

it('reads 100 profiles and their suspension records in one batch each, 150 in two', async () => {
  const { documentClient } = createDynamoClients({ endpoint: testEndpoint() });
  const batches: number[] = [];
  documentClient.middlewareStack.add(
    (next, context) => async (args) => {
      if (/^BatchGet/.test(context.commandName ?? '')) {
        const input = args.input as { RequestItems: Record<string, { Keys: unknown[] }> };
        batches.push(Object.values(input.RequestItems)[0]!.Keys.length);
      }
      return next(args);
    },
    { step: 'initialize', name: 'countBatches' },
  );
  const counted = new DynamoUserProfileRepository(documentClient, table);
  const stored = Array.from({ length: 30 }, (_, i) => profile(200 + i));
  for (const p of stored) await repo.create(p);
  const ids = [
    ...stored.map((p) => p.userId),
    ...Array.from({ length: 70 }, (_, i) => testUserId(9000 + i)),
  ];
  expect(await counted.getMany(ids)).toHaveLength(30);
  await counted.getSuspensionsOf(ids);
  expect(batches).toEqual([100, 100]);
  batches.length = 0;
  const more = [...ids, ...Array.from({ length: 50 }, (_, i) => testUserId(9500 + i))];
  expect(await counted.getMany(more)).toHaveLength(30);
  expect(batches.sort()).toEqual([100, 50].sort());
}, 30_000);
