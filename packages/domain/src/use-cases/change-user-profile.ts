import { authorOf } from '../events/change-event';
import { assertMayAccess, type Actor } from '../actor';
import { bindEmail, boundEmailTime, withProblem } from '../email-identity';
import { isPlainObject } from '../json';
import { NO_METADATA_SCHEMAS } from '../metadata-schemas';
import type { Clock, MetadataSchemas, UserProfileRepository } from '../ports';
import type { applyUpdate, UserProfile } from '../user-profile';
import { ManageSuspensions } from './manage-suspensions';
import { assertMayChangeNow, suspensionInForce, withStanding } from './standing';
import { writeWithRetry } from './write-with-retry';

/** How a change body turns the current profile into the next one: `PUT`'s or `PATCH`'s rule. */
type ChangeRule = typeof applyUpdate;

/**
 * A change of a profile by its owner or an administrator, under one rule (`PUT`'s or `PATCH`'s):
 * the owner's rights and suspension checked, the verified e-mail bound, written under optimistic
 * concurrency. Never creates. An administrator's `blocked` is kept working as a shorthand:
 * `true` suspends (reason `OTHER`) unless a suspension is in force, `false` lifts it.
 */
export class ChangeUserProfile {
  private readonly suspensions: ManageSuspensions;

  constructor(
    private readonly repository: UserProfileRepository,
    private readonly clock: Clock,
    private readonly rule: ChangeRule,
    /** The tiers' declared schemas, which every tier a change touches must meet after it. */
    private readonly schemas: MetadataSchemas = NO_METADATA_SCHEMAS,
  ) {
    this.suspensions = new ManageSuspensions(repository, clock);
  }

  /** @throws ValidationFailed, ProfileNotFound (also for another user's profile), VersionConflict, EmailAlreadyTaken, AccountSuspended */
  async execute(
    actor: Actor,
    userId: string,
    changes: unknown,
    expectedVersion?: number,
  ): Promise<UserProfile> {
    assertMayAccess(actor, userId);
    const { blocked, rest } = adminBlocked(actor, changes);
    const next = await writeWithRetry(this.repository, userId, expectedVersion, async (current) => {
      await assertMayChangeNow(this.repository, this.clock, actor, current);
      // `blocked: true` alone changes nothing of the profile itself.
      if (blocked === true && isPlainObject(rest) && Object.keys(rest).length === 0) {
        return current;
      }
      const { body, problem } = bindEmail(actor, rest, { change: current });
      const editor = { admin: actor.admin, emailAsOf: boundEmailTime(actor) };
      const changed = withProblem(problem, () =>
        this.rule(current, body, this.clock.now(), editor, this.schemas),
      );
      if (changed !== current)
        await this.repository.update(current, changed, authorOf(actor, userId));
      return changed;
    });
    if (blocked === true) {
      const inForce = await suspensionInForce(this.repository, this.clock, userId);
      if (!inForce) await this.suspensions.suspend(actor, userId, { reason: 'OTHER' });
    } else if (blocked === false) {
      await this.suspensions.lift(actor, userId);
    }
    return withStanding(this.repository, this.clock, next);
  }
}

/**
 * An administrator's `blocked`, taken out of the change: `true` is a suspension, not a field of
 * the profile (`false` stays in, to clear a flag of old). Anyone else's stays for the rules to
 * refuse.
 */
function adminBlocked(actor: Actor, changes: unknown): { blocked?: boolean; rest: unknown } {
  if (!actor.admin || !isPlainObject(changes) || typeof changes.blocked !== 'boolean') {
    return { rest: changes };
  }
  if (changes.blocked === false) return { blocked: false, rest: changes };
  const { blocked: _blocked, ...rest } = changes;
  return { blocked: true, rest };
}
