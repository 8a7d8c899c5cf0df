import { assertMayChange, type Actor } from '../actor';
import type { Clock, UserProfileRepository } from '../ports';
import { currentSuspension, type Suspension, type SuspensionRecord } from '../suspension';
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
  return standing(profile, await repository.getSuspensions(profile.userId), clock);
}

/** `withStanding` of a page of profiles: their suspension records in one batch, not one each. */
export async function withStandings(
  repository: UserProfileRepository,
  clock: Clock,
  profiles: readonly UserProfile[],
): Promise<UserProfile[]> {
  if (profiles.length === 0) return [];
  const records = await repository.getSuspensionsOf(profiles.map((p) => p.userId));
  const bySubject = new Map(records.map((r) => [r.userId, r]));
  return profiles.map((p) => standing(p, bySubject.get(p.userId), clock));
}

/** The profile as answered, given its subject's suspension record as read. */
export function standing(
  profile: UserProfile,
  record: SuspensionRecord | undefined,
  clock: Clock,
): UserProfile {
  const suspension = currentSuspension(record, clock.now());
  return suspension ? { ...profile, blocked: true, suspension } : profile;
}
