import type { Actor } from '../actor';
import type { Clock, UserProfileRepository } from '../ports';
import { applyMergePatch, type UserProfile } from '../user-profile';
import { changeUserProfile } from './change-user-profile';

/** `PATCH` with an RFC 7396 JSON merge patch. Never creates. */
export class PatchUserProfile {
  constructor(
    private readonly repository: UserProfileRepository,
    private readonly clock: Clock,
  ) {}

  /** @throws ValidationFailed, ProfileNotFound (also for another user's profile), VersionConflict, EmailAlreadyTaken, AccountBlocked */
  execute(
    actor: Actor,
    userId: string,
    patch: unknown,
    expectedVersion?: number,
  ): Promise<UserProfile> {
    return changeUserProfile(this.repository, this.clock, applyMergePatch, {
      actor,
      userId,
      body: patch,
      expectedVersion,
    });
  }
}
