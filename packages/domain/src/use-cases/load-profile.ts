import { ProfileNotFound } from '../errors';
import type { UserProfileRepository } from '../ports';
import { isUserId } from '../profile-rules';
import type { UserProfile } from '../user-profile';

/** Reads a profile that must exist; ids that cannot exist are simply not found. */
export async function loadProfile(
  repository: UserProfileRepository,
  userId: string,
): Promise<UserProfile> {
  const profile = isUserId(userId) ? await repository.get(userId) : undefined;
  if (!profile) throw new ProfileNotFound(userId);
  return profile;
}
