import { assertMayChange, type Actor } from '../actor';
import type { Clock, UserProfileRepository } from '../ports';
import { currentSuspension, type Suspension } from '../suspension';
import type { UserProfile } from '../user-profile';

/** The subject's suspension in force now, if any. */
export async function suspensionInForce(
  repository: UserProfileRepository,
  clock: Clock,
  userId: string,
): Promise<Suspension | undefined> {
  return currentSuspension(await repository.getSuspensions(userId), clock.now());
}

/**
 * `assertMayChange` with the subject's suspension read now. Administrators are never stopped, so
 * their changes read nothing more. @throws AccountSuspended
 */
export async function assertMayChangeNow(
  repository: UserProfileRepository,
  clock: Clock,
  actor: Actor,
  profile: UserProfile,
): Promise<void> {
  if (actor.admin) return;
  assertMayChange(actor, profile, await suspensionInForce(repository, clock, profile.userId));
}

/**
 * The profile as answered: `blocked` when its subject is suspended now (or by the flag of old),
 * with the suspension in force. Never stored: the suspension lives in its own record.
 */
export async function withStanding(
  repository: UserProfileRepository,
  clock: Clock,
  profile: UserProfile,
): Promise<UserProfile> {
  const suspension = await suspensionInForce(repository, clock, profile.userId);
  return suspension ? { ...profile, blocked: true, suspension } : profile;
}
