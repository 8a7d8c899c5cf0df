import { assertMayAccess, assertMayChange, type Actor } from '../actor';
import { bindEmail, withProblem } from '../email-identity';
import type { Clock, UserProfileRepository } from '../ports';
import type { applyChanges, UserProfile } from '../user-profile';
import { writeWithRetry } from './write-with-retry';

/** How a change body turns the current profile into the next one: `PUT`'s or `PATCH`'s rule. */
type ChangeRule = typeof applyChanges;

/**
 * A change of a profile by its owner or an administrator, with one rule or the other: the owner's
 * rights and block checked, the verified e-mail bound, written under optimistic concurrency.
 */
export async function changeUserProfile(
  repository: UserProfileRepository,
  clock: Clock,
  rule: ChangeRule,
  request: { actor: Actor; userId: string; body: unknown; expectedVersion?: number },
): Promise<UserProfile> {
  const { actor, userId, expectedVersion } = request;
  assertMayAccess(actor, userId);
  return writeWithRetry(repository, userId, expectedVersion, async (current) => {
    assertMayChange(actor, current);
    const { body, problem } = bindEmail(actor, request.body, 'change');
    const next = withProblem(problem, () => rule(current, body, clock.now(), actor));
    if (next !== current) await repository.update(current, next);
    return next;
  });
}
