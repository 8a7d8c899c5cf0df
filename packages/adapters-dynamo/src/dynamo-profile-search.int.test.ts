import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { applyUpdate, newUserProfile, type UserProfile } from '@userprofile/domain';
import { describeProfileSearchContract, testUserId } from '@userprofile/domain/testing';
import { createDynamoClients } from './dynamo-client';
import { DynamoProfileSearch, SEARCH_READS_PER_SHARD } from './dynamo-profile-search';
import { DynamoUserProfileRepository } from './dynamo-user-profile-repository';
import { emailGuardItem, toItem } from './profile-item';
import type { ProfileTables } from './profile-tables';
import { searchItemsOf, SEARCH_PREFIX_MAX_LENGTH } from './search-items';
import { USER_PROFILE_TABLE } from './table-definition';
import { createTestTable, testClients, testEndpoint } from './testing';

describeProfileSearchContract('DynamoDB Local', async () => {
  const table = await createTestTable();
  const db = testClients().documentClient;
  return {
    repository: new DynamoUserProfileRepository(db, table),
    search: new DynamoProfileSearch(db, table),
    dispose: table.drop,
  };
});

/** A search whose DynamoDB calls are counted (its own client: no other test's calls count). */
function countedSearch(tables: Required<ProfileTables>) {
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
  return { search: new DynamoProfileSearch(documentClient, tables), calls };
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
  /**
   * Profiles and their guards, and their search items in the search table, written straight in
   * batches of 25, 8 at once.
   */
  async function seed(profiles: readonly UserProfile[]) {
    const batches: [string, object[]][] = [];
    const inBatches = (tableName: string, items: object[]) => {
      for (let i = 0; i < items.length; i += 25) batches.push([tableName, items.slice(i, i + 25)]);
    };
    inBatches(
      table.tableName,
      profiles.flatMap((p) => [toItem(p), emailGuardItem(p)]),
    );
    inBatches(table.searchTableName, profiles.flatMap(searchItemsOf));
    const db = testClients().documentClient;
    const write = async (): Promise<void> => {
      const [tableName, batch] = batches.pop() ?? [];
      if (!batch) return;
      const { UnprocessedItems } = await db.send(
        new BatchWriteCommand({
          RequestItems: { [tableName!]: batch.map((Item) => ({ PutRequest: { Item } })) },
        }),
      );
      expect(UnprocessedItems?.[tableName!] ?? []).toEqual([]);
      return write();
    };
    await Promise.all(Array.from({ length: 8 }, write));
  }

  it('writes the search items with the profile, in the search table only, and removes them with it', async () => {
    const repo = new DynamoUserProfileRepository(testClients().documentClient, table);
    const p = newUserProfile(
      { email: 'Jose@Example.com', firstName: 'José', lastName: 'Núñez', username: 'Jose_N' },
      { userId: testUserId(1), now: at(1) },
    );
    await repo.create(p);
    // The profile table (whose stream feeds the change feed) gets none of them (ADR 0025).
    expect((await table.scanAll()).map((i) => i.itemType).sort()).toEqual([
      'EMAIL',
      'PROFILE',
      'USERNAME',
    ]);
    const search = await table.scanSearch();
    expect(search.every((i) => i.itemType === 'SEARCH')).toBe(true);
    // "jose nun", "nunez": 8 + 5 prefixes; the address 8; its domain 1; the handle 6.
    expect(search).toHaveLength(8 + 5 + 8 + 1 + 6);
    expect(search.map((i) => i.searchKey)).toContain(`name#jose nun#${toItem(p).listShard}`);
    expect(search.every((i) => i.listKey === toItem(p).listKey && !('listShard' in i))).toBe(true);
    const renamed = applyUpdate(p, { lastName: 'Nunes' }, at(2));
    await repo.update(p, renamed);
    const after = await table.scanSearch();
    expect(after.map((i) => i.userId).sort()).toEqual(
      searchItemsOf(renamed)
        .map((i) => i.userId)
        .sort(),
    );
    await repo.delete(renamed);
    expect(await table.scanAll()).toEqual([]);
    expect(await table.scanSearch()).toEqual([]);
  });

  it('does a bounded number of calls per page however rare the matches, and still reaches them', async () => {
    // 400 namesakes whose names share the kept prefix, and 2 that match the longer term.
    const crowd = Array.from({ length: 400 }, (_, i) => profile(i + 10, 'Ada', `Lovelock${i}`));
    const wanted = [profile(5, 'Ada', 'Lovelace'), profile(500, 'Ada', 'Lovelace-King')];
    await seed([...crowd, ...wanted]);
    expect('ada lovelace'.length).toBeGreaterThan(SEARCH_PREFIX_MAX_LENGTH);
    const { search, calls } = countedSearch(table);
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

  it('finds a profile the moment its create is acknowledged', async () => {
    const repo = new DynamoUserProfileRepository(testClients().documentClient, table);
    const search = new DynamoProfileSearch(testClients().documentClient, table);
    for (let n = 1; n <= 5; n++) {
      const p = profile(n, `Grace${n}`, 'Hopper');
      await repo.create(p);
      const page = await search.search({ field: 'name', term: `grace${n} h` }, { limit: 5 });
      expect(page.items.map((i) => i.userId)).toEqual([p.userId]);
    }
  });
});
