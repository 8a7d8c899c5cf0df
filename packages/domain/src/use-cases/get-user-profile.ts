import { assertMayAccess, type Actor } from '../actor';
import type { UserProfileRepository } from '../ports';
import type { UserProfile } from '../user-profile';
import { loadProfile } from './load-profile';

export class GetUserProfile {
  constructor(private readonly repository: UserProfileRepository) {}

  /** @throws ProfileNotFound, also for another user's profile */
  async execute(actor: Actor, userId: string): Promise<UserProfile> {
    assertMayAccess(actor, userId);
    return loadProfile(this.repository, userId);
  }
}
