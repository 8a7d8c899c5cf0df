import { assertMayAccess, type Actor } from '../actor';
import { ProfileNotFound } from '../errors';
import type { Clock, UserProfileRepository } from '../ports';
import { isUserId } from '../profile-rules';
import type { UserProfile } from '../user-profile';
import { standing } from './standing';

export class GetUserProfile {
  constructor(
    private readonly repository: UserProfileRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * The profile, as stored, with its subject's suspension: a read never writes. An address
   * changed at the identity provider reaches the profile with its owner's next write (see
   * `bindEmail`), which is counted and ordered as writes are. Profile and suspension record are
   * read together, in one request.
   * @throws ProfileNotFound, also for another user's profile
   */
  async execute(actor: Actor, userId: string): Promise<UserProfile> {
    assertMayAccess(actor, userId);
    const { profile, suspensions } = isUserId(userId)
      ? await this.repository.getWithSuspensions(userId)
      : {};
    if (!profile) throw new ProfileNotFound(userId);
    return standing(profile, suspensions, this.clock);
  }
}
