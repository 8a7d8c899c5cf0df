import { assertMayAccess, assertMayChange, type Actor } from '../actor';
import { bindEmail, boundEmailTime, withProblem } from '../email-identity';
import type { Clock, UserProfileRepository } from '../ports';
import type { applyUpdate, UserProfile } from '../user-profile';
import { writeWithRetry } from './write-with-retry';

/** How a change body turns the current profile into the next one: `PUT`'s or `PATCH`'s rule. */
type ChangeRule = typeof applyUpdate;

/**
 * A change of a profile by its owner or an administrator, under one rule (`PUT`'s or `PATCH`'s):
 * the owner's rights and block checked, the verified e-mail bound, written under optimistic
 * concurrency. Never creates.
 */
export class ChangeUserProfile {
  constructor(
    private readonly repository: UserProfileRepository,
    private readonly clock: Clock,
    private readonly rule: ChangeRule,
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
      const { body, problem } = bindEmail(actor, changes, { change: current });
      const editor = { admin: actor.admin, emailAsOf: boundEmailTime(actor) };
      const next = withProblem(problem, () => this.rule(current, body, this.clock.now(), editor));
      if (next !== current) await this.repository.update(current, next);
      return next;
    });
  }
}
