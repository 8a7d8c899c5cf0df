import { BatchWriteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  CreateUserProfile,
  EmailAlreadyTaken,
  OPEN_ACCESS,
  StorageUnavailable,
  newUserProfile,
  type UserProfile,
} from '@userprofile/domain';
import {
  FixedClock,
  describeUserProfileRepositoryContract,
  testUserId,
} from '@userprofile/domain/testing';
import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { createDynamoClients } from './dynamo-client';
import {
  DynamoUserProfileRepository,
  FILTERED_READS_PER_SHARD,
} from './dynamo-user-profile-repository';
import { toItem } from './profile-item';
import { createTestTable, testClients, testEndpoint } from './testing';

describeUserProfileRepositoryContract('DynamoDB Local', async () => {
  const table = await createTestTable();
  return {
    repository: new DynamoUserProfileRepository(testClients().documentClient, table),
    dispose: table.drop,
  };
});

describe('DynamoUserProfileRepository on DynamoDB Local', () => {
  let table: Awaited<ReturnType<typeof createTestTable>>;
  let repo: DynamoUserProfileRepository;
  beforeEach(async () => {
    table = await createTestTable();
    repo = new DynamoUserProfileRepository(testClients().documentClient, table);
  });
  afterEach(() => table.drop());

  const profile = (email: string, metadata?: object, userId = randomUUID()): UserProfile =>
    newUserProfile(
      { email, firstName: 'Ada', lastName: 'Lovelace', metadata },
      { userId, now: new Date() },
    );

  it('stores a profile item with its list keys and one e-mail guard pointing back to it', async () => {
    const p = profile('ada@example.com');
    await repo.create(p);
    // Its search items are the search's (dynamo-profile-search.int.test.ts).
    const items = (await table.scanAll()).filter((i) => i.itemType !== 'SEARCH');
    expect(items).toHaveLength(2);
    expect(items).toContainEqual({
      userId: 'EMAIL#ada@example.com',
      itemType: 'EMAIL',
      ownerId: p.userId,
    });
    const stored = items.find((i) => i.userId === p.userId);
    expect(stored).toMatchObject({ itemType: 'PROFILE', listKey: `${p.createdAt}#${p.userId}` });
    expect(stored?.listShard).toMatch(/^[0-7]$/);
  });

  it('round-trips numbers and nested metadata exactly', async () => {
    const metadata = {
      small: 0.1,
      tiny: 1e-7,
      negative: -123.456,
      max: Number.MAX_SAFE_INTEGER,
      min: -Number.MAX_SAFE_INTEGER,
      zero: 0,
      nested: {
        list: [1, 2.5, 'x', null, true, { deeper: [[3.14159265358979]] }],
        empty: {},
        none: [],
      },
      unicode: 'Zoë 😀 中文',
    };
    const p = profile('numbers@example.com', metadata);
    await repo.create(p);
    const back = await repo.get(p.userId);
    expect(back?.metadata).toStrictEqual(metadata);
    expect(back).toStrictEqual(p);
  });

  it('removes an optional field from the stored item when it is removed from the profile', async () => {
    const p = newUserProfile(
      { email: 'opt@example.com', firstName: 'A', lastName: 'B', phoneNumber: '+14155550123' },
      { userId: randomUUID(), now: new Date() },
    );
    await repo.create(p);
    const { phoneNumber: _drop, ...rest } = p;
    await repo.update(p, { ...rest, version: 2 });
    const { Item } = await testClients().documentClient.send(
      new GetCommand({ TableName: table.tableName, Key: { userId: p.userId } }),
    );
    expect(Item).not.toHaveProperty('phoneNumber');
  });

  it('lets exactly one of many parallel creates with one e-mail win, leaving one guard', async () => {
    const variants = [
      'race@example.com',
      'RACE@example.com',
      'Race@Example.com',
      ' race@EXAMPLE.com ',
    ];
    const create = new CreateUserProfile(repo, new FixedClock(), { newId: () => randomUUID() });
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        create.execute(OPEN_ACCESS, {
          email: variants[i % variants.length],
          firstName: 'R',
          lastName: `${i}`,
        }),
      ),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost.map((r) => (r.reason as Error).constructor)).toEqual(
      Array(11).fill(EmailAlreadyTaken),
    );
    const items = await table.scanAll();
    expect(items.filter((i) => i.itemType === 'PROFILE')).toHaveLength(1);
    expect(items.filter((i) => i.itemType === 'EMAIL')).toEqual([
      {
        userId: 'EMAIL#race@example.com',
        itemType: 'EMAIL',
        ownerId: (won[0] as PromiseFulfilledResult<UserProfile>).value.userId,
      },
    ]);
  });

  it('pages correctly across shards when many profiles share a timestamp', async () => {
    const at = new Date('2026-05-01T00:00:00.000Z');
    const all = Array.from({ length: 25 }, (_, i) =>
      newUserProfile(
        { email: `p${i}@example.com`, firstName: 'P', lastName: `${i}` },
        { userId: testUserId(1000 + i * 7919), now: at },
      ),
    );
    await Promise.all(all.map((p) => repo.create(p)));
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await repo.list({ limit: 4, cursor });
      expect(page.items.length).toBeLessThanOrEqual(4);
      seen.push(...page.items.map((p) => p.userId));
      cursor = page.cursor;
    } while (cursor);
    expect(seen).toEqual(
      all
        .map((p) => p.userId)
        .sort()
        .reverse(),
    );
  });

  it('reads a bounded number of items per filtered page, however rare the matches', async () => {
    // 4,000 profiles, 3 deactivated among the oldest: the seeds' filter would read them all.
    const { documentClient } = createDynamoClients({ endpoint: testEndpoint() });
    const all = Array.from({ length: 4_000 }, (_, i) => {
      const p = newUserProfile(
        { email: `bulk${i}@example.com`, firstName: 'B', lastName: `${i}` },
        { userId: randomUUID(), now: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, i)) },
      );
      return i === 5 || i === 17 || i === 900 ? { ...p, active: false } : p;
    });
    for (let i = 0; i < all.length; i += 25) {
      await documentClient.send(
        new BatchWriteCommand({
          RequestItems: {
            [table.tableName]: all
              .slice(i, i + 25)
              .map((p) => ({ PutRequest: { Item: toItem(p) } })),
          },
        }),
      );
    }
    const scanned: number[] = [];
    let request = 0;
    documentClient.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        const output = result.output as { ScannedCount?: number };
        scanned[request] = (scanned[request] ?? 0) + (output.ScannedCount ?? 0);
        return result;
      },
      { step: 'initialize', name: 'countScanned' },
    );
    const counted = new DynamoUserProfileRepository(documentClient, table);
    const found: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await counted.list({ limit: 1, cursor, active: false });
      expect(page.items.length).toBeLessThanOrEqual(1);
      found.push(...page.items.map((p) => p.lastName));
      cursor = page.cursor;
      request += 1;
    } while (cursor);
    expect(found).toEqual(['900', '17', '5']);
    const most = Math.max(...scanned);
    expect(most).toBeLessThanOrEqual(8 * FILTERED_READS_PER_SHARD);
    expect(scanned.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(4_000);
    process.stdout.write(
      `[list] limit=1&active=false over 4,000 profiles: ${request} requests, at most ${most} items read by one\n`,
    );
  });

  it.each([
    [
      'a cursor of another version',
      'v2.eyJrIjoiMjAyNi0wMS0wMVQwMDowMDowMC4wMDBaIzAwMDAwMDAwLTAwMDAtNDAwMC04MDAwLTAwMDAwMDAwMDAwMSJ9',
    ],
    [
      'a cursor with extra fields',
      `v1.${Buffer.from(JSON.stringify({ k: '2026-01-01T00:00:00.000Z#00000000-0000-4000-8000-000000000001', x: 1 })).toString('base64url')}`,
    ],
    [
      'a cursor naming a guard key',
      `v1.${Buffer.from(JSON.stringify({ k: 'EMAIL#a@example.com' })).toString('base64url')}`,
    ],
    ['a truncated cursor', 'v1.eyJrIjoiMjAy'],
    ["a raw user id (the seeds' cursor)", '00000000-0000-4000-8000-000000000001'],
  ])('refuses %s as a validation error', async (_label, cursor) => {
    await expect(repo.list({ limit: 5, cursor })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'cursor' }],
    });
  });
});

describe('a database that does not answer', () => {
  const sockets = new Set<Socket>();
  let frozen: Server;
  beforeAll(async () => {
    // Accepts connections and never answers: a frozen or partitioned database.
    frozen = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => frozen.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => frozen.close(resolve));
  });

  const p = newUserProfile(
    { email: 'down@example.com', firstName: 'A', lastName: 'B' },
    { userId: randomUUID(), now: new Date() },
  );

  it('fails fast with StorageUnavailable when the database hangs', async () => {
    const address = frozen.address() as { port: number };
    const { documentClient } = createDynamoClients({
      endpoint: `http://127.0.0.1:${address.port}`,
    });
    const repo = new DynamoUserProfileRepository(documentClient, {
      tableName: 'any',
      searchTableName: 'any-search',
    });
    const started = Date.now();
    await expect(repo.create(p)).rejects.toBeInstanceOf(StorageUnavailable);
    await expect(repo.get(p.userId)).rejects.toBeInstanceOf(StorageUnavailable);
    // Two operations, each bounded by 3 attempts x 1 s plus backoff.
    expect(Date.now() - started).toBeLessThan(12_000);
  });

  it('fails with StorageUnavailable when nothing listens', async () => {
    const { documentClient } = createDynamoClients({ endpoint: 'http://127.0.0.1:9' });
    const repo = new DynamoUserProfileRepository(documentClient, {
      tableName: 'any',
      searchTableName: 'any-search',
    });
    await expect(repo.list({ limit: 5 })).rejects.toBeInstanceOf(StorageUnavailable);
    await expect(repo.findByEmail('x@example.com')).rejects.toBeInstanceOf(StorageUnavailable);
  });
});
