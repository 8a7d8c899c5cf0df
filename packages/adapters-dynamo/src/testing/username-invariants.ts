import { usernameGuardKey } from '../guard-items';

/**
 * The handles' invariants: each profile's handle has exactly one guard pointing back to it, and
 * every guard belongs to a profile holding that handle now (none left behind by a change).
 */
export function usernameProblems(items: Record<string, unknown>[]): string[] {
  const problems: string[] = [];
  const profiles = items.filter((i) => i.itemType === 'PROFILE');
  const guards = new Map(
    items.filter((i) => i.itemType === 'USERNAME').map((g) => [String(g.userId), g]),
  );
  for (const p of profiles) {
    if (typeof p.username !== 'string') continue;
    const guard = guards.get(usernameGuardKey(p.username).userId);
    if (guard?.ownerId !== p.userId)
      problems.push(`profile ${String(p.userId)} holds ${p.username} without its guard`);
  }
  for (const [key, guard] of guards) {
    const owner = profiles.find((p) => p.userId === guard.ownerId);
    const held = typeof owner?.username === 'string' ? usernameGuardKey(owner.username).userId : '';
    if (held !== key) problems.push(`handle guard ${key} is stale or has no profile`);
  }
  return problems;
}
