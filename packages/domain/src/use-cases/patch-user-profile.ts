import { assertMayAccess, assertMayChange, type Actor } from '../actor';
import { bindEmail, withProblem } from '../email-identity';
import type { Clock, UserProfileRepository } from '../ports';
import { applyMergePatch, type UserProfile } from '../user-profile';
import { writeWithRetry } from './load-profile';

/** `PATCH` with an RFC 7396 JSON merge patch. Never creates. */
export class PatchUserProfile {
  constructor(
    private readonly repository: UserProfileRepository,
    private readonly clock: Clock,
  ) {}

  /** @throws ValidationFailed, ProfileNotFound (also for another user's profile), VersionConflict, EmailAlreadyTaken, AccountBlocked */
  async execute(
    actor: Actor,
    userId: string,
    patch: unknown,
    expectedVersion?: number,
  ): Promise<UserProfile> {
    assertMayAccess(actor, userId);
    return writeWithRetry(this.repository, userId, expectedVersion, async (current) => {
      assertMayChange(actor, current);
      const { body, problem } = bindEmail(actor, patch, 'change');
      const next = withProblem(problem, () =>
        applyMergePatch(current, body, this.clock.now(), actor),
      );
      if (next !== current) await this.repository.update(current, next);
      return next;
    });
  }
}
