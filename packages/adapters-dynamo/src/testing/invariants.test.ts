import {
  newUserProfile,
  type Page,
  type UserProfile,
  type UserProfileRepository,
} from '@userprofile/domain';
import { testUserId } from '@userprofile/domain/testing';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { emailGuardItem, idempotencyItem, listKeyOf, toItem } from '../profile-item';
import { searchItemsOf } from '../search-items';
import { checkInvariants, type TableContents } from './invariants';

/**
 * The invariant checker guards every race, fuzz and fault test: if it wrongly found nothing,
 * they would all pass. Each violation it claims to find is planted here, and found.
 */
const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second));
const profile = (n: number, email = `p${n}@example.com`): UserProfile =>
  newUserProfile(
    { email, firstName: 'P', lastName: `${n}` },
    { userId: testUserId(n), now: at(n) },
  );

/** Items as a table scan returns them (through the marshaller). */
const stored = (item: object) =>
  unmarshall(marshall(item, { removeUndefinedValues: true })) as Record<string, unknown>;

/** A repository that lists exactly the given profiles, newest first, in one page. */
function listing(profiles: UserProfile[]): UserProfileRepository {
  const items = [...profiles].sort((a, b) => (listKeyOf(a) < listKeyOf(b) ? 1 : -1));
  return { list: async (): Promise<Page> => ({ items }) } as unknown as UserProfileRepository;
}

const [a, b] = [profile(1), profile(2)];
const consistent = (): TableContents => ({
  items: [
    stored(toItem(a)),
    stored(emailGuardItem(a)),
    stored(toItem(b)),
    stored(emailGuardItem(b)),
    stored(
      idempotencyItem({ key: 'k', fingerprint: 'f', profile: b, expiresAt: at(99).toISOString() }),
    ),
  ],
  searchItems: [...searchItemsOf(a), ...searchItemsOf(b)].map(stored),
});
type Items = Record<string, unknown>[];
/** A change of the profile table's items only. */
const inTable =
  (change: (items: Items) => Items) =>
  (t: TableContents): TableContents => ({ ...t, items: change(t.items) });
/** A change of the search table's items only. */
const inSearch =
  (change: (items: Items) => Items) =>
  (t: TableContents): TableContents => ({ ...t, searchItems: change(t.searchItems) });

describe('the invariant checker', () => {
  it('finds nothing wrong with a consistent table', async () => {
    expect(await checkInvariants(consistent(), listing([a, b]))).toEqual([]);
  });

  it.each<[string, (t: TableContents) => TableContents, RegExp]>([
    [
      'a search item of a name the profile no longer has',
      inSearch((items) => [
        ...items,
        stored({ ...searchItemsOf(a)[0]!, userId: `SEARCH#${a.userId}#name#zz`, term: 'zz' }),
      ]),
      /search item SEARCH#.*#name#zz is stale/,
    ],
    [
      'a profile without its search items',
      inSearch((items) => items.filter((i) => i.ownerId !== a.userId)),
      /search items, \d+ wanted/,
    ],
    [
      'a search item left in the profile table',
      inTable((items) => [...items, stored(searchItemsOf(a)[0]!)]),
      /search item SEARCH#.* is in the profile table/,
    ],
    [
      'an item of the profile table in the search table',
      inSearch((items) => [...items, stored(emailGuardItem(a))]),
      /the search table holds EMAIL#p1@example.com, no search item/,
    ],
    [
      'a profile without its guard',
      inTable((items) => items.filter((i) => i.userId !== 'EMAIL#p1@example.com')),
      /has no guard/,
    ],
    [
      'a guard pointing elsewhere',
      inTable((items) =>
        items.map((i) => (i.userId === 'EMAIL#p1@example.com' ? { ...i, ownerId: b.userId } : i)),
      ),
      /points to/,
    ],
    [
      'two profiles with one e-mail',
      inTable((items) => [...items, stored(toItem(profile(3, 'p1@example.com')))]),
      /is used by/,
    ],
    [
      'a version that is not a positive integer',
      inTable((items) => items.map((i) => (i.userId === a.userId ? { ...i, version: 0 } : i))),
      /has version 0/,
    ],
    [
      'wrong list keys',
      inTable((items) => items.map((i) => (i.userId === a.userId ? { ...i, listShard: '9' } : i))),
      /wrong list keys/,
    ],
    [
      'a guard without its profile',
      inTable((items) => [...items, stored(emailGuardItem(profile(4)))]),
      /has no profile/,
    ],
    [
      'a stale guard',
      inTable((items) => [
        ...items,
        { userId: 'EMAIL#old@example.com', itemType: 'EMAIL', ownerId: a.userId },
      ]),
      /is stale/,
    ],
    [
      'an item of no known type',
      inTable((items) => [...items, { userId: 'X#1', itemType: 'JUNK' }]),
      /unknown item/,
    ],
    [
      'an idempotency record outliving its profile',
      inTable((items) => items.filter((i) => i.userId !== b.userId)),
      /outlives its profile/,
    ],
  ])('finds %s', async (_label, plant, problem) => {
    const contents = plant(consistent());
    const problems = await checkInvariants(
      contents,
      listing([a, b].filter((p) => contents.items.some((i) => i.userId === p.userId))),
    );
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(problem)]));
  });

  it('finds a listing that misses a profile or breaks the order', async () => {
    const missing = await checkInvariants(consistent(), listing([a]));
    expect(missing).toEqual([expect.stringMatching(/listing gives 1 profiles/)]);
    const reversed = { list: async () => ({ items: [a, b] }) } as unknown as UserProfileRepository;
    expect(await checkInvariants(consistent(), reversed)).toEqual([
      expect.stringMatching(/another order/),
    ]);
  });
});
