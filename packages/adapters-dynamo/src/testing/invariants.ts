import type { UserProfileRepository } from '@userprofile/domain';
import { emailGuardKey, listKeyOf, listShardOf, toProfile } from '../profile-item';
import { SEARCH_ITEM_TYPE, searchItemsOf } from '../search-items';
import { usernameProblems } from './username-invariants';

/** Every item of the profile table, and every item of the search table (ADR 0025). */
export interface TableContents {
  readonly items: Record<string, unknown>[];
  readonly searchItems: Record<string, unknown>[];
}

/**
 * Lists every broken invariant of the two tables' items (empty when they are consistent): each
 * profile's e-mail has exactly one guard that points back to it, no guard without its profile,
 * versions are positive integers, list keys match the profile, the search table holds exactly the
 * search items the profiles call for and the profile table none, no idempotency record outlives
 * the profile it made, and the repository lists every profile exactly once, newest first.
 */
export async function checkInvariants(
  { items, searchItems }: TableContents,
  repository: UserProfileRepository,
): Promise<string[]> {
  const problems: string[] = [];
  const profiles = items.filter((i) => i.itemType === 'PROFILE');
  const guards = new Map(
    items.filter((i) => i.itemType === 'EMAIL').map((g) => [String(g.userId), g]),
  );
  const known = new Set(['PROFILE', 'EMAIL', 'USERNAME', 'IDEMPOTENCY', 'SUSPENSION']);
  problems.push(...usernameProblems(items));
  for (const item of items) {
    if (item.itemType === SEARCH_ITEM_TYPE)
      problems.push(`search item ${String(item.userId)} is in the profile table`);
    else if (!known.has(String(item.itemType)))
      problems.push(`unknown item ${String(item.userId)}`);
  }
  problems.push(...searchProblems(profiles, searchItems));

  const emails = new Map<string, string>();
  for (const p of profiles) {
    const id = String(p.userId);
    const guard = guards.get(emailGuardKey(String(p.email)).userId);
    if (!guard) problems.push(`profile ${id} has no guard for ${String(p.email)}`);
    else if (guard.ownerId !== id)
      problems.push(`guard of ${String(p.email)} points to ${String(guard.ownerId)}, not ${id}`);
    if (emails.has(String(p.email)))
      problems.push(
        `e-mail ${String(p.email)} is used by ${emails.get(String(p.email))} and ${id}`,
      );
    emails.set(String(p.email), id);
    if (!Number.isInteger(p.version) || (p.version as number) < 1)
      problems.push(`profile ${id} has version ${String(p.version)}`);
    const expectedKey = listKeyOf({ createdAt: String(p.createdAt), userId: id });
    if (p.listKey !== expectedKey || p.listShard !== listShardOf(id))
      problems.push(`profile ${id} has wrong list keys`);
  }
  for (const [key, guard] of guards) {
    const owner = profiles.find((p) => p.userId === guard.ownerId);
    if (!owner) problems.push(`guard ${key} has no profile (owner ${String(guard.ownerId)})`);
    else if (emailGuardKey(String(owner.email)).userId !== key)
      problems.push(`guard ${key} is stale: its owner now has ${String(owner.email)}`);
  }

  // Erasure: the record of a create lives no longer than the profile it made.
  for (const record of items.filter((i) => i.itemType === 'IDEMPOTENCY')) {
    const owner = (record.profile as Record<string, unknown> | undefined)?.userId;
    if (!profiles.some((p) => p.userId === owner))
      problems.push(
        `idempotency record ${String(record.userId)} outlives its profile ${String(owner)}`,
      );
  }

  const listed: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await repository.list({ limit: 100, cursor });
    listed.push(...page.items.map((p) => p.userId));
    cursor = page.cursor;
  } while (cursor);
  const expected = profiles
    .map((p) => ({
      id: String(p.userId),
      key: listKeyOf({ createdAt: String(p.createdAt), userId: String(p.userId) }),
    }))
    .sort((a, b) => (a.key < b.key ? 1 : -1))
    .map((p) => p.id);
  if (JSON.stringify(listed) !== JSON.stringify(expected)) {
    problems.push(
      `listing gives ${listed.length} profiles in another order than createdAt (expected ${expected.length})`,
    );
  }
  return problems;
}

/**
 * The search table holds exactly the items each profile's terms call for: none left of an older
 * name or of a deleted profile, none missing, nothing else.
 */
function searchProblems(
  profiles: Record<string, unknown>[],
  searchItems: Record<string, unknown>[],
): string[] {
  const problems: string[] = [];
  const wanted = new Map(
    profiles.flatMap((p) => searchItemsOf(toProfile(p)!).map((i) => [i.userId, i] as const)),
  );
  for (const item of searchItems) {
    const want = wanted.get(String(item.userId));
    if (item.itemType !== SEARCH_ITEM_TYPE)
      problems.push(`the search table holds ${String(item.userId)}, no search item`);
    else if (!want || JSON.stringify({ ...want }) !== JSON.stringify(sameOrder(want, item)))
      problems.push(`search item ${String(item.userId)} is stale`);
  }
  if (searchItems.length !== wanted.size)
    problems.push(`${searchItems.length} search items, ${wanted.size} wanted`);
  return problems;
}

/** `item`'s attributes in the order of `like`'s (a scan answers them in any order). */
function sameOrder(like: object, item: Record<string, unknown>): Record<string, unknown> {
  const keys = new Set([...Object.keys(like), ...Object.keys(item)]);
  return Object.fromEntries([...keys].map((k) => [k, item[k]]));
}
