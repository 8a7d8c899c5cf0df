import { assertMayAccess, type Actor } from '../actor';
import { emailIsBound } from '../email-identity';
import { EmailAlreadyTaken, VersionConflict } from '../errors';
import type { Clock, UserProfileRepository } from '../ports';
import { applyUpdate, type UserProfile } from '../user-profile';
import { loadProfile } from './load-profile';

export class GetUserProfile {
  constructor(
    private readonly repository: UserProfileRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * The profile. When its owner reads it with a verified e-mail other than the profile's (they
   * changed it at their identity provider), the profile takes the new address first; if that
   * cannot be done now (the address is claimed, or a write raced), the profile is answered as is.
   * @throws ProfileNotFound, also for another user's profile
   */
  async execute(actor: Actor, userId: string): Promise<UserProfile> {
    assertMayAccess(actor, userId);
    const profile = await loadProfile(this.repository, userId);
    const verified = actor.verifiedEmail;
    if (!emailIsBound(actor) || verified === undefined || verified === profile.email) {
      return profile;
    }
    const next = applyUpdate(profile, { email: verified }, this.clock.now(), actor);
    try {
      await this.repository.update(profile, next);
      return next;
    } catch (error) {
      if (error instanceof EmailAlreadyTaken || error instanceof VersionConflict) return profile;
      throw error;
    }
  }
}
