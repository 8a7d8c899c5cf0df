import { ValidationFailed } from '../errors';
import type { UserProfileRepository } from '../ports';
import type { ProfileSearch, SearchCriteria } from '../profile-search';
import { applyUpdate, newUserProfile, type UserProfile } from '../user-profile';
import { testUserId } from './fakes';

/** A fresh, empty store for one test: the repository that writes and the search that reads it. */
export type ProfileSearchFactory = () => Promise<{
  repository: UserProfileRepository;
  search: ProfileSearch;
  dispose?: () => Promise<void>;
}>;

/**
 * The behaviour every `ProfileSearch` must have over the profiles its repository writes, run
 * against each implementation (in memory, DynamoDB).
 */
export function describeProfileSearchContract(name: string, factory: ProfileSearchFactory): void {
  describe(`ProfileSearch contract: ${name}`, () => {
    let repo: UserProfileRepository;
    let search: ProfileSearch;
    let dispose: (() => Promise<void>) | undefined;
    let seq = 0;

    beforeEach(async () => {
      ({ repository: repo, search, dispose } = await factory());
    });
    afterEach(async () => dispose?.());

    const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));
    async function stored(fields: object, minute = 0): Promise<UserProfile> {
      seq += 1;
      const p = newUserProfile(
        { email: `user${seq}@example.com`, firstName: 'Someone', lastName: 'Else', ...fields },
        { userId: testUserId(seq), now: at(minute) },
      );
      await repo.create(p);
      return p;
    }
    /** Every match, following cursors to the end with pages of `limit`. */
    async function all(criteria: SearchCriteria, limit = 2): Promise<UserProfile[]> {
      const found: UserProfile[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 200; pages++) {
        const page = await search.search(criteria, { limit, cursor });
        expect(page.items.length).toBeLessThanOrEqual(limit);
        found.push(...page.items);
        cursor = page.cursor;
        if (cursor === undefined) return found;
      }
      throw new Error('more than 200 pages: the cursor does not advance');
    }
    const ids = (profiles: readonly UserProfile[]) => profiles.map((p) => p.userId);

    it('finds by a prefix of the first, the last or the full name, newest first', async () => {
      const ada = await stored({ firstName: 'Ada', lastName: 'Lovelace' }, 1);
      const adam = await stored({ firstName: 'Adam', lastName: 'Smith' }, 2);
      const grace = await stored({ firstName: 'Grace', lastName: 'Adams' }, 3);
      await stored({ firstName: 'Alan', lastName: 'Turing' }, 4);
      expect(ids(await all({ field: 'name', term: 'ada' }))).toEqual(ids([grace, adam, ada]));
      expect(ids(await all({ field: 'name', term: 'ada lov' }))).toEqual(ids([ada]));
      expect(ids(await all({ field: 'name', term: 'lovelace' }))).toEqual(ids([ada]));
      expect(await all({ field: 'name', term: 'lovelace ada' })).toEqual([]);
    });

    it('compares names without case or diacritics, and checks terms longer than any prefix kept', async () => {
      const jose = await stored({ firstName: 'José', lastName: 'Núñez-Ibáñez Ölander' });
      await stored({ firstName: 'Jose', lastName: 'Nunez-Ibanez Olsen' });
      expect(ids(await all({ field: 'name', term: 'jose nunez-ibanez ola' }))).toEqual(ids([jose]));
      expect(await all({ field: 'name', term: 'jose nunez-ibanez olx' })).toEqual([]);
      expect(await all({ field: 'name', term: 'jose' })).toHaveLength(2);
    });

    it('finds by e-mail prefix, by exact e-mail domain and by handle prefix', async () => {
      const ada = await stored({ email: 'ada.l@gmail.com', username: 'Ada_L' });
      const bob = await stored({ email: 'bob@mail.gmail.com', username: 'bobby' });
      expect(ids(await all({ field: 'email', term: 'ada.' }))).toEqual(ids([ada]));
      expect(ids(await all({ field: 'emailDomain', term: 'gmail.com' }))).toEqual(ids([ada]));
      expect(await all({ field: 'emailDomain', term: 'gmail.co' })).toEqual([]);
      expect(ids(await all({ field: 'emailDomain', term: 'mail.gmail.com' }))).toEqual(ids([bob]));
      expect(ids(await all({ field: 'username', term: 'ada_' }))).toEqual(ids([ada]));
      expect(await all({ field: 'username', term: 'carol' })).toEqual([]);
    });

    it('pages to the very end: every match once, in order, at any page size', async () => {
      const made: UserProfile[] = [];
      for (let i = 0; i < 13; i++) made.push(await stored({ firstName: 'Mary' }, i % 5));
      await stored({ firstName: 'Marx' });
      const newestFirst = [...made].sort((a, b) =>
        `${b.createdAt}#${b.userId}`.localeCompare(`${a.createdAt}#${a.userId}`),
      );
      for (const limit of [1, 4, 13, 100]) {
        expect(ids(await all({ field: 'name', term: 'mary' }, limit))).toEqual(ids(newestFirst));
      }
      const full = await search.search({ field: 'name', term: 'mary' }, { limit: 13 });
      expect(full.cursor).toBeUndefined();
    });

    it('filters by the active flag and by creation time, both bounds exclusive', async () => {
      const early = await stored({ firstName: 'Kim' }, 1);
      const middle = await stored({ firstName: 'Kim' }, 2);
      const late = await stored({ firstName: 'Kim' }, 3);
      const off = applyUpdate(late, { active: false }, at(10));
      await repo.update(late, off);
      expect(ids(await all({ field: 'name', term: 'kim', active: false }))).toEqual(ids([late]));
      expect(ids(await all({ field: 'name', term: 'kim', active: true }))).toEqual(
        ids([middle, early]),
      );
      const between = {
        field: 'name',
        term: 'kim',
        createdAfter: at(1).toISOString(),
        createdBefore: at(3).toISOString(),
      } as const;
      expect(ids(await all(between))).toEqual(ids([middle]));
      const nothing = { ...between, createdAfter: at(3).toISOString() };
      expect(await all(nothing)).toEqual([]);
    });

    it('finds a profile right after its create, and never by a name, e-mail or handle it no longer has', async () => {
      const p = await stored({ firstName: 'Ada', email: 'ada@old.org', username: 'ada_old' });
      expect(ids(await all({ field: 'emailDomain', term: 'old.org' }))).toEqual(ids([p]));
      const next = applyUpdate(
        p,
        { firstName: 'Grace', email: 'grace@new.org', username: 'grace_new' },
        at(20),
      );
      await repo.update(p, next);
      expect(await all({ field: 'name', term: 'ada' })).toEqual([]);
      expect(await all({ field: 'email', term: 'ada' })).toEqual([]);
      expect(await all({ field: 'emailDomain', term: 'old.org' })).toEqual([]);
      expect(await all({ field: 'username', term: 'ada' })).toEqual([]);
      expect(await all({ field: 'name', term: 'grace else' })).toEqual([next]);
      expect(ids(await all({ field: 'username', term: 'grace_n' }))).toEqual(ids([p]));
      await repo.delete(next);
      expect(await all({ field: 'name', term: 'grace' })).toEqual([]);
      expect(await all({ field: 'emailDomain', term: 'new.org' })).toEqual([]);
    });

    it('refuses a cursor of another search, or one it never gave', async () => {
      for (let i = 0; i < 3; i++) await stored({ firstName: 'Lee' }, i);
      const page = await search.search({ field: 'name', term: 'lee' }, { limit: 1 });
      expect(page.cursor).toBeDefined();
      const other: SearchCriteria[] = [
        { field: 'name', term: 'le' },
        { field: 'username', term: 'lee' },
        { field: 'name', term: 'lee', active: true },
        { field: 'name', term: 'lee', createdBefore: at(9).toISOString() },
      ];
      for (const criteria of other) {
        await expect(search.search(criteria, { limit: 1, cursor: page.cursor })).rejects.toThrow(
          ValidationFailed,
        );
      }
      for (const cursor of ['v1.eyJrIjoieCJ9', 'garbage', 'x'.repeat(300)]) {
        await expect(
          search.search({ field: 'name', term: 'lee' }, { limit: 1, cursor }),
        ).rejects.toThrow(ValidationFailed);
      }
    });
  });
}
