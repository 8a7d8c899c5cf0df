import { assertMayAccess, type Actor } from '../actor';
import type { UserProfileRepository } from '../ports';
import type { UserProfile } from '../user-profile';
import { loadProfile } from './load-profile';

export class GetUserProfile {
  constructor(private readonly repository: UserProfileRepository) {}

  /**
   * The profile, as stored: a read never writes. An address changed at the identity provider
   * reaches the profile with its owner's next write (see `bindEmail`), which is counted and
   * ordered as writes are. @throws ProfileNotFound, also for another user's profile
   */
  async execute(actor: Actor, userId: string): Promise<UserProfile> {
    assertMayAccess(actor, userId);
    return loadProfile(this.repository, userId);
  }
}
