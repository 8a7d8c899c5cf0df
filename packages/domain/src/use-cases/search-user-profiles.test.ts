import { OPEN_ACCESS, userActor } from '../actor';
import { Forbidden, ValidationFailed } from '../errors';
import { normaliseSearchText } from '../profile-search';
import { withSuspension } from '../suspension';
import { FixedClock, InMemoryProfileSearch, InMemoryUserProfileRepository } from '../testing';
import { CreateUserProfile } from './create-user-profile';
import { SearchUserProfiles, type SearchUserProfilesQuery } from './search-user-profiles';
import { SequentialIds } from '../testing';

function fixture() {
  const repository = new InMemoryUserProfileRepository();
  const clock = new FixedClock();
  const search = new SearchUserProfiles(
    new InMemoryProfileSearch(() => repository.all()),
    repository,
    clock,
  );
  const create = new CreateUserProfile(repository, clock, new SequentialIds());
  return { repository, clock, search, create };
}

const problemsOf = async (run: () => Promise<unknown>) => {
  try {
    await run();
  } catch (error) {
    if (error instanceof ValidationFailed) return error.errors;
    throw error;
  }
  throw new Error('no ValidationFailed');
};

describe('SearchUserProfiles', () => {
  it('normalises text: compatibility forms, no marks, lower case, one space', () => {
    expect(normaliseSearchText('  José\u00a0 ÑÚÑEZ ﬁn ')).toBe('jose nunez fin');
  });

  it('finds "José" by "JOSE" and answers each profile with its suspension in force', async () => {
    const s = fixture();
    const jose = await s.create.execute(OPEN_ACCESS, {
      email: 'jose@example.com',
      firstName: 'José',
      lastName: 'Núñez',
    });
    const record = withSuspension(
      undefined,
      jose.userId,
      { reason: 'SPAM' },
      'admin',
      s.clock.now(),
    );
    await s.repository.saveSuspensions(undefined, record);
    const page = await s.search.execute(OPEN_ACCESS, { name: 'JOSE nu' });
    expect(page.items.map((p) => p.userId)).toEqual([jose.userId]);
    expect(page.items[0]).toMatchObject({ blocked: true, suspension: { reason: 'SPAM' } });
  });

  it('filters by suspension in force, keeping the cursor of a page it shortened', async () => {
    const s = fixture();
    const made = [];
    for (const n of [1, 2, 3]) {
      made.push(
        await s.create.execute(OPEN_ACCESS, {
          email: `ann${n}@example.com`,
          firstName: 'Ann',
          lastName: `${n}`,
        }),
      );
    }
    const [, middle] = made;
    await s.repository.saveSuspensions(
      undefined,
      withSuspension(undefined, middle!.userId, { reason: 'SPAM' }, 'admin', s.clock.now()),
    );
    const ids = async (query: SearchUserProfilesQuery) =>
      (await s.search.execute(OPEN_ACCESS, { name: 'ann', ...query })).items.map((p) => p.userId);
    expect(await ids({ suspended: true })).toEqual([middle!.userId]);
    expect(await ids({ suspended: false })).toHaveLength(2);
    expect(await ids({ suspended: false })).not.toContain(middle!.userId);
    const first = await s.search.execute(OPEN_ACCESS, { name: 'ann', suspended: true, limit: 1 });
    expect(first.items).toEqual([]);
    expect(first.cursor).toBeDefined();
  });

  it('is for administrators only', async () => {
    const s = fixture();
    const user = userActor('0b5f3c1e-6c1d-4e0a-9d53-7c2a2f1b9e01');
    await expect(s.search.execute(user, { name: 'ada' })).rejects.toBeInstanceOf(Forbidden);
  });

  it.each<[SearchUserProfilesQuery, string[]]>([
    [{}, ['name', 'email', 'emailDomain', 'username']],
    [{ name: 'a', email: 'b' }, ['name', 'email']],
    [{ name: ' \u0301 ' }, ['name']],
    [{ username: 'x'.repeat(101) }, ['username']],
    [
      { name: 'a', createdAfter: 'yesterday', createdBefore: '2026-02-30T00:00:00Z' },
      ['createdAfter', 'createdBefore'],
    ],
    [{ name: 'a', createdBefore: '2026-01-01' }, ['createdBefore']],
    [{ email: 'a', limit: 0, cursor: '' }, ['limit', 'cursor']],
  ])('names every bad parameter of %p', async (query, fields) => {
    const problems = await problemsOf(() => fixture().search.execute(OPEN_ACCESS, query));
    expect(problems.map((p) => p.field)).toEqual(fields);
  });

  it('takes RFC 3339 date-times with any offset, as exclusive bounds', async () => {
    const s = fixture();
    const p = await s.create.execute(OPEN_ACCESS, {
      email: 'kim@example.com',
      firstName: 'Kim',
      lastName: 'Lee',
    });
    const at = Date.parse(p.createdAt);
    const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');
    const found = (query: SearchUserProfilesQuery) =>
      s.search.execute(OPEN_ACCESS, { name: 'kim', ...query }).then((page) => page.items.length);
    expect(await found({ createdAfter: iso(at - 1), createdBefore: iso(at + 1) })).toBe(1);
    expect(await found({ createdAfter: iso(at) })).toBe(0);
    expect(await found({ createdBefore: iso(at) })).toBe(0);
    expect(await found({ createdAfter: '1999-12-31t23:00:00.5-01:00' })).toBe(1);
  });
});
