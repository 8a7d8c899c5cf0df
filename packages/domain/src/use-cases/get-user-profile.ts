import { assertMayAccess, type Actor } from '../actor';
import type { Clock, UserProfileRepository } from '../ports';
import type { UserProfile } from '../user-profile';
import { loadProfile } from './load-profile';
import { withStanding } from './standing';

export class GetUserProfile {
  constructor(
    private readonly repository: UserProfileRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * The profile, as stored, with its subject's suspension: a read never writes. An address
   * changed at the identity provider reaches the profile with its owner's next write (see
   * `bindEmail`), which is counted and ordered as writes are.
   * @throws ProfileNotFound, also for another user's profile
   */
  async execute(actor: Actor, userId: string): Promise<UserProfile> {
    assertMayAccess(actor, userId);
    const profile = await loadProfile(this.repository, userId);
    return withStanding(this.repository, this.clock, profile);
  }
}
