import { DeleteTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { applyUpdate, newUserProfile, type UserProfile } from '@userprofile/domain';
import { testUserId } from '@userprofile/domain/testing';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DynamoProfileSearch } from './dynamo-profile-search';
import { DynamoUserProfileRepository } from './dynamo-user-profile-repository';
import { emailGuardItem, toItem } from './profile-item';
import { backfillSearchItems } from './search-backfill';
import { searchItemsOf } from './search-items';
import { migrateSearchTable } from './search-table-migration';
import {
  checkInvariants,
  createTableWithOldSearchIndex,
  createTestTable,
  testClients,
  testEndpoint,
} from './testing';

// The search items of a stack deployed before the search table (ADR 0025), or before the search
// itself (ADR 0021): written into the search table, and deleted from the profile table, by a
// one-off job beside live traffic, by the command an operator runs (`pnpm backfill-search`), and
// by the local server at its start.

let table: Awaited<ReturnType<typeof createTestTable>>;
let repo: DynamoUserProfileRepository;
beforeEach(async () => {
  table = await createTestTable();
  repo = new DynamoUserProfileRepository(testClients().documentClient, table);
});
afterEach(() => table.drop());

const at = new Date('2026-03-01T00:00:00.000Z');
const profile = (n: number): UserProfile =>
  newUserProfile(
    { email: `old${n}@example.com`, firstName: 'Old', lastName: `Timer${n}` },
    { userId: testUserId(8000 + n), now: new Date(at.getTime() + n) },
  );

/** Writes these items into `tableName`, 25 to a batch. */
async function putAll(tableName: string, items: object[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    const batch = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    await testClients().documentClient.send(
      new BatchWriteCommand({ RequestItems: { [tableName]: batch } }),
    );
  }
}

/**
 * Profiles as a stack deployed before ADR 0025 holds them: the even ones with their search items
 * in the profile table (ADR 0021), the odd ones with none at all (made before the search); the
 * search table empty. Answers the profiles and how many search items the profile table holds.
 */
async function oldStyleProfiles(count: number): Promise<{ made: UserProfile[]; left: number }> {
  const made = Array.from({ length: count }, (_, n) => profile(n));
  const left = made.filter((_, n) => n % 2 === 0).flatMap(searchItemsOf);
  await putAll(table.tableName, [...made.flatMap((p) => [toItem(p), emailGuardItem(p)]), ...left]);
  return { made, left: left.length };
}

it('writes every profile’s items into the search table beside renames and deletions, and deletes those left in the profile table', async () => {
  const { made, left } = await oldStyleProfiles(24);
  // Written by the new version before the job ran: only its changed items are in the search table.
  const renamed = applyUpdate(made[0]!, { lastName: 'Early' }, at);
  await repo.update(made[0]!, renamed);
  made[0] = renamed;

  const live = Promise.all(
    made.slice(1, 9).map(async (p, i) => {
      if (i < 2) return repo.delete(p);
      return repo.update(p, applyUpdate(p, { firstName: `Live${i}`, lastName: `Moved${i}` }, at));
    }),
  );
  const [done] = await Promise.all([
    backfillSearchItems(testClients().documentClient, table),
    live,
  ]);
  expect(done.indexed).toBeGreaterThanOrEqual(22);
  expect(done.removed).toBe(left);
  // Exactly the items each profile wants now, all in the search table: none missing, none of an
  // older name, none left in the profile table.
  expect(await checkInvariants(await table.contents(), repo)).toEqual([]);
  const search = new DynamoProfileSearch(testClients().documentClient, table);
  const found = await search.search({ field: 'name', term: 'old timer1' }, { limit: 100 });
  // Timer1 (deleted), Timer10-Timer19 and Timer2-8 renamed, Timer10-19 kept: 10 of them.
  expect(found.items.map((p) => p.lastName).sort()).toEqual(
    Array.from({ length: 10 }, (_, i) => `Timer1${i}`),
  );
});

describe('pnpm backfill-search', () => {
  const run = (...args: string[]) =>
    promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'scripts/backfill-search.ts', '--endpoint', testEndpoint(), ...args],
      { cwd: join(__dirname, '..'), env: { PATH: process.env.PATH } },
    );
  const tables = () => ['--table', table.tableName, '--search-table', table.searchTableName];

  it('fills the search table in segments, empties the profile table of search items, and says how many of each', async () => {
    const { left } = await oldStyleProfiles(12);
    const { stdout } = await run(...tables(), '--segments', '3');
    expect(stdout).toBe(
      `12 profiles indexed in ${table.searchTableName}, ${left} old search items removed from ${table.tableName}\n`,
    );
    expect(await checkInvariants(await table.contents(), repo)).toEqual([]);
    // Again: nothing left to remove, the same items written.
    const again = await run(...tables());
    expect(again.stdout).toMatch(/^12 profiles indexed in .*, 0 old search items removed/);
    expect(await checkInvariants(await table.contents(), repo)).toEqual([]);
  });

  it('refuses a stack without the search table yet, and bad arguments', async () => {
    const missing = `${table.tableName}-none`;
    await expect(run('--table', table.tableName, '--search-table', missing)).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining(
        `${missing} is no search table (none, or without SearchIndex): deploy the stack version`,
      ),
    });
    await expect(run(...tables(), '--segments', '0')).rejects.toMatchObject({
      stderr: expect.stringContaining('--segments must be a whole number from 1 to 64'),
    });
    await expect(run('--table', table.tableName)).rejects.toMatchObject({
      stderr: expect.stringContaining('--search-table is required'),
    });
    await expect(run()).rejects.toMatchObject({
      stderr: expect.stringContaining('--table is required'),
    });
  });
});

describe('a local data directory made before the search table', () => {
  it('gets the search table, its items, and a profile table without them or its SearchIndex', async () => {
    const { client, documentClient } = testClients();
    const tableName = `test-old-${testUserId(0)}-${Date.now()}`;
    const tables = { tableName, searchTableName: `${tableName}-search` };
    const drop = await createTableWithOldSearchIndex(tableName);
    try {
      const ada = newUserProfile(
        { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' },
        { userId: testUserId(1), now: at },
      );
      await putAll(tableName, [toItem(ada), emailGuardItem(ada), ...searchItemsOf(ada)]);
      expect(await migrateSearchTable(client, documentClient, tables)).toEqual({
        indexed: 1,
        removed: searchItemsOf(ada).length,
      });
      expect(await migrateSearchTable(client, documentClient, tables)).toBeUndefined();
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      const kept = Table?.GlobalSecondaryIndexes?.filter((i) => i.IndexStatus !== 'DELETING');
      expect(kept?.map((i) => i.IndexName)).toEqual(['CreatedAtIndex']);
      const search = new DynamoProfileSearch(documentClient, tables);
      const page = await search.search({ field: 'name', term: 'ada lov' }, { limit: 5 });
      expect(page.items.map((p) => p.userId)).toEqual([ada.userId]);
    } finally {
      await drop();
      await client
        .send(new DeleteTableCommand({ TableName: tables.searchTableName }))
        .catch(() => undefined);
    }
  });
});
