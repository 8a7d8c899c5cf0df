import { assertMayAccess, assertMayChange, type Actor } from '../actor';
import { bindEmail, withProblem } from '../email-identity';
import type { Clock, UserProfileRepository } from '../ports';
import { applyChanges, type UserProfile } from '../user-profile';
import { writeWithRetry } from './load-profile';

/** `PUT`: the given fields replace the stored ones, the others are kept. Never creates. */
export class UpdateUserProfile {
  constructor(
    private readonly repository: UserProfileRepository,
    private readonly clock: Clock,
  ) {}

  /** @throws ValidationFailed, ProfileNotFound (also for another user's profile), VersionConflict, EmailAlreadyTaken, AccountBlocked */
  async execute(
    actor: Actor,
    userId: string,
    changes: unknown,
    expectedVersion?: number,
  ): Promise<UserProfile> {
    assertMayAccess(actor, userId);
    return writeWithRetry(this.repository, userId, expectedVersion, async (current) => {
      assertMayChange(actor, current);
      const { body, problem } = bindEmail(actor, changes, 'change');
      const next = withProblem(problem, () => applyChanges(current, body, this.clock.now(), actor));
      if (next !== current) await this.repository.update(current, next);
      return next;
    });
  }
}
