import { applyUpdate, newUserProfile, type UserProfile } from '@userprofile/domain';
import { testUserId } from '@userprofile/domain/testing';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DynamoProfileSearch } from './dynamo-profile-search';
import { DynamoUserProfileRepository } from './dynamo-user-profile-repository';
import { backfillSearchItems } from './search-backfill';
import {
  checkInvariants,
  createTableWithoutSearchIndex,
  createTestTable,
  testClients,
  testEndpoint,
} from './testing';

// The search items of a table deployed before the search (ADR 0021): written by a one-off job
// beside live traffic, and by the command an operator runs (`pnpm backfill-search`).

let table: Awaited<ReturnType<typeof createTestTable>>;
let repo: DynamoUserProfileRepository;
beforeEach(async () => {
  table = await createTestTable();
  repo = new DynamoUserProfileRepository(testClients().documentClient, table.tableName);
});
afterEach(() => table.drop());

const at = new Date('2026-03-01T00:00:00.000Z');
const profile = (n: number): UserProfile =>
  newUserProfile(
    { email: `old${n}@example.com`, firstName: 'Old', lastName: `Timer${n}` },
    { userId: testUserId(8000 + n), now: new Date(at.getTime() + n) },
  );

/** Profiles as a table made before the search holds them: no search item at all. */
async function profilesWithoutSearchItems(count: number): Promise<UserProfile[]> {
  const made = Array.from({ length: count }, (_, n) => profile(n));
  for (const p of made) await repo.create(p);
  for (const item of await table.scanAll()) {
    if (item.itemType === 'SEARCH') await table.deleteItem({ userId: item.userId });
  }
  return made;
}

it('indexes every profile beside renames and deletions, leaving no stale item', async () => {
  const made = await profilesWithoutSearchItems(24);
  // A profile written by the new version before the job ran: only its changed items exist.
  const renamed = applyUpdate(made[0]!, { lastName: 'Early' }, at);
  await repo.update(made[0]!, renamed);
  made[0] = renamed;

  const live = Promise.all(
    made.slice(1, 9).map(async (p, i) => {
      if (i < 2) return repo.delete(p);
      return repo.update(p, applyUpdate(p, { firstName: `Live${i}`, lastName: `Moved${i}` }, at));
    }),
  );
  const [indexed] = await Promise.all([
    backfillSearchItems(testClients().documentClient, table.tableName),
    live,
  ]);
  expect(indexed).toBeGreaterThanOrEqual(22);
  // Exactly the items each profile wants now: none missing, none of an older name.
  expect(await checkInvariants(await table.scanAll(), repo)).toEqual([]);
  const search = new DynamoProfileSearch(testClients().documentClient, table.tableName);
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

  it('indexes a table in segments and says how many profiles it indexed', async () => {
    await profilesWithoutSearchItems(12);
    const { stdout } = await run('--table', table.tableName, '--segments', '3');
    expect(stdout).toBe(`12 profiles indexed in ${table.tableName}\n`);
    expect(await checkInvariants(await table.scanAll(), repo)).toEqual([]);
  });

  it('refuses a table whose stack has not the search yet, and bad arguments', async () => {
    const old = `${table.tableName}-old`;
    const drop = await createTableWithoutSearchIndex(old);
    try {
      await expect(run('--table', old)).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringContaining('has no SearchIndex: deploy the stack version'),
      });
      await expect(run('--table', old, '--segments', '0')).rejects.toMatchObject({
        stderr: expect.stringContaining('--segments must be a whole number from 1 to 64'),
      });
      await expect(run()).rejects.toMatchObject({
        stderr: expect.stringContaining('--table is required'),
      });
    } finally {
      await drop();
    }
  });
});
