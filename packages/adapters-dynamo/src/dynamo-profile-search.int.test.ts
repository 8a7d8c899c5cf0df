import { BatchWriteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { applyUpdate, newUserProfile, type UserProfile } from '@userprofile/domain';
import { describeProfileSearchContract, testUserId } from '@userprofile/domain/testing';
import { createDynamoClients } from './dynamo-client';
import { DynamoProfileSearch, SEARCH_READS_PER_SHARD } from './dynamo-profile-search';
import { DynamoUserProfileRepository } from './dynamo-user-profile-repository';
import { emailGuardItem, toItem } from './profile-item';
import { addSearchIndex } from './search-backfill';
import { searchItemsOf, SEARCH_PREFIX_MAX_LENGTH } from './search-items';
import { USER_PROFILE_TABLE } from './table-definition';
import {
  createTableWithoutSearchIndex,
  createTestTable,
  testClients,
  testEndpoint,
} from './testing';

describeProfileSearchContract('DynamoDB Local', async () => {
  const table = await createTestTable();
  const db = testClients().documentClient;
  return {
    repository: new DynamoUserProfileRepository(db, table.tableName),
    search: new DynamoProfileSearch(db, table.tableName),
    dispose: table.drop,
  };
});

/** A search whose DynamoDB calls are counted (its own client: no other test's calls count). */
function countedSearch(tableName: string) {
  const { documentClient } = createDynamoClients({
    endpoint: testEndpoint(),
    requestTimeoutMs: 5_000,
  });
  const calls: string[] = [];
  documentClient.middlewareStack.add(
    (next, context) => async (args) => {
      calls.push(context.commandName ?? 'unknown');
      return next(args);
    },
    { step: 'initialize', name: 'countCalls' },
  );
  return { search: new DynamoProfileSearch(documentClient, tableName), calls };
}

describe('DynamoProfileSearch on DynamoDB Local', () => {
  let table: Awaited<ReturnType<typeof createTestTable>>;
  beforeEach(async () => {
    table = await createTestTable();
  });
  afterEach(() => table.drop());

  const at = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 1000);
  const profile = (n: number, firstName: string, lastName: string): UserProfile =>
    newUserProfile(
      { email: `p${n}@example.com`, firstName, lastName },
      { userId: testUserId(n), now: at(n) },
    );
  /** Profiles, their guards and search items, written straight in batches of 25, 8 at once. */
  async function seed(profiles: readonly UserProfile[]) {
    const items = profiles.flatMap((p) => [toItem(p), emailGuardItem(p), ...searchItemsOf(p)]);
    const db = testClients().documentClient;
    const batches: (typeof items)[] = [];
    for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
    const write = async (): Promise<void> => {
      const batch = batches.pop();
      if (!batch) return;
      const { UnprocessedItems } = await db.send(
        new BatchWriteCommand({
          RequestItems: { [table.tableName]: batch.map((Item) => ({ PutRequest: { Item } })) },
        }),
      );
      expect(UnprocessedItems?.[table.tableName] ?? []).toEqual([]);
      return write();
    };
    await Promise.all(Array.from({ length: 8 }, write));
  }

  it('writes the search items with the profile and removes them with it', async () => {
    const repo = new DynamoUserProfileRepository(testClients().documentClient, table.tableName);
    const p = newUserProfile(
      { email: 'Jose@Example.com', firstName: 'José', lastName: 'Núñez', username: 'Jose_N' },
      { userId: testUserId(1), now: at(1) },
    );
    await repo.create(p);
    const search = (await table.scanAll()).filter((i) => i.itemType === 'SEARCH');
    // "jose nun", "nunez": 8 + 5 prefixes; the address 8; its domain 1; the handle 6.
    expect(search).toHaveLength(8 + 5 + 8 + 1 + 6);
    expect(search.map((i) => i.searchKey)).toContain(`name#jose nun#${toItem(p).listShard}`);
    expect(search.every((i) => i.listKey === toItem(p).listKey && !('listShard' in i))).toBe(true);
    const renamed = applyUpdate(p, { lastName: 'Nunes' }, at(2));
    await repo.update(p, renamed);
    const after = (await table.scanAll()).filter((i) => i.itemType === 'SEARCH');
    expect(after.map((i) => i.userId).sort()).toEqual(
      searchItemsOf(renamed)
        .map((i) => i.userId)
        .sort(),
    );
    await repo.delete(renamed);
    expect(await table.scanAll()).toEqual([]);
  });

  it('does a bounded number of calls per page however rare the matches, and still reaches them', async () => {
    // 400 namesakes whose names share the kept prefix, and 2 that match the longer term.
    const crowd = Array.from({ length: 400 }, (_, i) => profile(i + 10, 'Ada', `Lovelock${i}`));
    const wanted = [profile(5, 'Ada', 'Lovelace'), profile(500, 'Ada', 'Lovelace-King')];
    await seed([...crowd, ...wanted]);
    expect('ada lovelace'.length).toBeGreaterThan(SEARCH_PREFIX_MAX_LENGTH);
    const { search, calls } = countedSearch(table.tableName);
    const found: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const before = calls.length;
      const page = await search.search(
        { field: 'name', term: 'ada lovelace' },
        { limit: 20, cursor },
      );
      const made = calls.slice(before);
      // One query per shard and one batch read: never a scan onwards.
      expect(made.filter((c) => c === 'QueryCommand').length).toBeLessThanOrEqual(
        USER_PROFILE_TABLE.listShards,
      );
      expect(made.filter((c) => c !== 'QueryCommand')).toEqual(
        page.items.length > 0 ? ['BatchGetItemCommand'] : [],
      );
      found.push(...page.items.map((p) => p.userId));
      cursor = page.cursor;
      pages += 1;
    } while (cursor !== undefined);
    expect(found).toEqual([wanted[1]!.userId, wanted[0]!.userId]);
    // Each shard evaluates at most SEARCH_READS_PER_SHARD items a page: 402 items need several.
    expect(pages).toBeGreaterThan(1);
    expect(pages).toBeLessThanOrEqual(Math.ceil(402 / SEARCH_READS_PER_SHARD) + 1);
  });

  it('adds the index to a table made before it, with the items of the profiles it holds', async () => {
    const { client, documentClient } = testClients();
    const old = `test-old-${testUserId(0)}-${Date.now()}`;
    const drop = await createTableWithoutSearchIndex(old);
    try {
      const ada = profile(1, 'Ada', 'Lovelace');
      await documentClient.send(new PutCommand({ TableName: old, Item: toItem(ada) }));
      expect(await addSearchIndex(client, documentClient, old)).toBe(1);
      expect(await addSearchIndex(client, documentClient, old)).toBeUndefined();
      const search = new DynamoProfileSearch(documentClient, old);
      const page = await search.search({ field: 'name', term: 'ada lov' }, { limit: 5 });
      expect(page.items.map((p) => p.userId)).toEqual([ada.userId]);
    } finally {
      await drop();
    }
  });

  it('finds a profile the moment its create is acknowledged', async () => {
    const repo = new DynamoUserProfileRepository(testClients().documentClient, table.tableName);
    const search = new DynamoProfileSearch(testClients().documentClient, table.tableName);
    for (let n = 1; n <= 5; n++) {
      const p = profile(n, `Grace${n}`, 'Hopper');
      await repo.create(p);
      const page = await search.search({ field: 'name', term: `grace${n} h` }, { limit: 5 });
      expect(page.items.map((i) => i.userId)).toEqual([p.userId]);
    }
  });
});
