import type { UserProfileRepository } from '@userprofile/domain';
import { emailGuardKey, listKeyOf, listShardOf, toProfile } from '../profile-item';
import { searchItemsOf } from '../search-items';
import { usernameProblems } from './username-invariants';

/**
 * Scans a whole table and lists every broken invariant (empty when the table is consistent):
 * each profile's e-mail has exactly one guard that points back to it, no guard without its profile,
 * versions are positive integers, list keys match the profile, no idempotency record outlives the
 * profile it made, and the repository lists every profile exactly once, newest first.
 */
export async function checkInvariants(
  items: Record<string, unknown>[],
  repository: UserProfileRepository,
): Promise<string[]> {
  const problems: string[] = [];
  const profiles = items.filter((i) => i.itemType === 'PROFILE');
  const guards = new Map(
    items.filter((i) => i.itemType === 'EMAIL').map((g) => [String(g.userId), g]),
  );
  const known = new Set(['PROFILE', 'EMAIL', 'USERNAME', 'IDEMPOTENCY', 'SUSPENSION', 'SEARCH']);
  problems.push(...usernameProblems(items));
  for (const item of items) {
    if (!known.has(String(item.itemType))) problems.push(`unknown item ${String(item.userId)}`);
  }

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

  // Search: exactly the items each profile's terms call for, none left of an older name or of a
  // deleted profile.
  const wantedSearch = new Map(
    profiles.flatMap((p) => searchItemsOf(toProfile(p)!).map((i) => [i.userId, i] as const)),
  );
  const storedSearch = items.filter((i) => i.itemType === 'SEARCH');
  for (const item of storedSearch) {
    const wanted = wantedSearch.get(String(item.userId));
    if (!wanted || JSON.stringify({ ...wanted }) !== JSON.stringify(sameOrder(wanted, item)))
      problems.push(`search item ${String(item.userId)} is stale`);
  }
  if (storedSearch.length !== wantedSearch.size)
    problems.push(`${storedSearch.length} search items, ${wantedSearch.size} wanted`);

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

/** `item`'s attributes in the order of `like`'s (a scan answers them in any order). */
function sameOrder(like: object, item: Record<string, unknown>): Record<string, unknown> {
  const keys = new Set([...Object.keys(like), ...Object.keys(item)]);
  return Object.fromEntries([...keys].map((k) => [k, item[k]]));
}
