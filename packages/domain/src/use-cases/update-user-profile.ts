import type { Actor } from '../actor';
import type { Clock, UserProfileRepository } from '../ports';
import { applyChanges, type UserProfile } from '../user-profile';
import { changeUserProfile } from './change-user-profile';

/** `PUT`: the given fields replace the stored ones, the others are kept. Never creates. */
export class UpdateUserProfile {
  constructor(
    private readonly repository: UserProfileRepository,
    private readonly clock: Clock,
  ) {}

  /** @throws ValidationFailed, ProfileNotFound (also for another user's profile), VersionConflict, EmailAlreadyTaken, AccountBlocked */
  execute(
    actor: Actor,
    userId: string,
    changes: unknown,
    expectedVersion?: number,
  ): Promise<UserProfile> {
    return changeUserProfile(this.repository, this.clock, applyChanges, {
      actor,
      userId,
      body: changes,
      expectedVersion,
    });
  }
}
