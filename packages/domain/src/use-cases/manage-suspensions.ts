import { actorId, assertMayAccess, assertMaySuspend, type Actor } from '../actor';
import { ProfileNotFound, VersionConflict } from '../errors';
import type { Clock, UserProfileRepository } from '../ports';
import { isUserId } from '../profile-rules';
import {
  currentSuspension,
  parseSuspensionRequest,
  withSuspension,
  withoutSuspension,
  type Suspension,
  type SuspensionRecord,
} from '../suspension';

const ATTEMPTS = 3;

/**
 * An administrator's suspensions of a subject: suspend (with a reason, a note, an end), lift,
 * read the history. The record is the subject's, not the profile's: it may exist without a
 * profile (suspended before one is made, or kept after it is deleted), so none is required.
 */
export class ManageSuspensions {
  constructor(
    private readonly repository: UserProfileRepository,
    private readonly clock: Clock,
  ) {}

  /** @throws ValidationFailed, ProfileNotFound (a user naming another), Forbidden, VersionConflict */
  async suspend(actor: Actor, userId: string, request: unknown): Promise<Suspension> {
    this.check(actor, userId);
    const now = this.clock.now();
    const parsed = parseSuspensionRequest(request, now);
    const next = await this.write(userId, (record) =>
      withSuspension(record, userId, parsed, actorId(actor), now),
    );
    return currentSuspension(next, now)!;
  }

  /**
   * Ends the suspension in force now; nothing to end is no error. (A profile's `blocked` flag of
   * old is a field of the profile: `blocked: false` in a change clears it.)
   * @throws ProfileNotFound (a user naming another), Forbidden
   */
  async lift(actor: Actor, userId: string): Promise<void> {
    this.check(actor, userId);
    const now = this.clock.now();
    await this.write(userId, (record) => withoutSuspension(record, actorId(actor), now));
  }

  /** Every suspension of the subject, oldest first. @throws ProfileNotFound, Forbidden */
  async history(actor: Actor, userId: string): Promise<readonly Suspension[]> {
    this.check(actor, userId);
    return (await this.repository.getSuspensions(userId))?.history ?? [];
  }

  private check(actor: Actor, userId: string): void {
    assertMayAccess(actor, userId);
    assertMaySuspend(actor);
    if (!isUserId(userId)) throw new ProfileNotFound(userId);
  }

  /** Read-modify-write of the record, retried when a concurrent change won. */
  private async write(
    userId: string,
    change: (record: SuspensionRecord | undefined) => SuspensionRecord | undefined,
  ): Promise<SuspensionRecord | undefined> {
    for (let attempt = 1; ; attempt++) {
      const record = await this.repository.getSuspensions(userId);
      const next = change(record);
      if (!next) return record;
      try {
        await this.repository.saveSuspensions(record, next);
        return next;
      } catch (error) {
        if (!(error instanceof VersionConflict) || attempt >= ATTEMPTS) throw error;
      }
    }
  }
}
