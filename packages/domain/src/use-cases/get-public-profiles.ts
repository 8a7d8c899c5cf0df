import type { Actor } from '../actor';
import { Forbidden, ProfileNotFound, ValidationFailed } from '../errors';
import type { Clock, UserProfileRepository } from '../ports';
import { USERNAME_RULES } from '../profile-fields';
import { isUserId } from '../profile-rules';
import {
  isShownPublicly,
  PUBLIC_PROFILE_LIMITS,
  publicProfileOf,
  type DisplayNameStyle,
  type PublicProfile,
} from '../public-profile';

/** A batch's answer: the profiles shown, and what was asked for and cannot be shown. */
export interface PublicProfiles {
  readonly profiles: readonly PublicProfile[];
  /** The ids (or the username) asked for and not returned: unknown, deleted, hidden. */
  readonly missing: readonly string[];
}

/**
 * Other users' public profiles, for any signed-in user: one, a batch of up to 100 by id, or one
 * by handle. Profiles that are deactivated, suspended or deleted are absent, all alike. Each call
 * reads a bounded number of items: one batch of profiles and one of suspension records.
 */
export class GetPublicProfiles {
  constructor(
    private readonly repository: UserProfileRepository,
    private readonly clock: Clock,
    private readonly style: DisplayNameStyle,
  ) {}

  /** @throws ProfileNotFound when the profile is absent or not shown, Forbidden */
  async one(actor: Actor, userId: string): Promise<PublicProfile> {
    const [profile] = (await this.many(actor, [userId])).profiles;
    if (!profile) throw new ProfileNotFound(userId);
    return profile;
  }

  /** @throws ValidationFailed (field `ids`) for none, more than 100 or a malformed id; Forbidden */
  async many(actor: Actor, userIds: readonly string[]): Promise<PublicProfiles> {
    assertSignedIn(actor);
    const ids = [...new Set(userIds)];
    if (ids.length === 0 || ids.length > PUBLIC_PROFILE_LIMITS.maxIds) {
      throw ValidationFailed.of('ids', `must name 1 to ${PUBLIC_PROFILE_LIMITS.maxIds} ids`);
    }
    const malformed = ids.find((id) => !isUserId(id));
    if (malformed !== undefined) {
      throw ValidationFailed.of('ids', 'must be profile ids (lower-case UUIDs), comma-separated');
    }
    const [profiles, records] = await Promise.all([
      this.repository.getMany(ids),
      this.repository.getSuspensionsOf(ids),
    ]);
    const now = this.clock.now();
    const recordOf = new Map(records.map((r) => [r.userId, r]));
    const shown = new Map(
      profiles
        .filter((p) => isShownPublicly(p, recordOf.get(p.userId), now))
        .map((p) => [p.userId, publicProfileOf(p, this.style)]),
    );
    return {
      profiles: ids.flatMap((id) => shown.get(id) ?? []),
      missing: ids.filter((id) => !shown.has(id)),
    };
  }

  /** @throws ValidationFailed (field `username`) for a string no handle can be; Forbidden */
  async byUsername(actor: Actor, username: string): Promise<PublicProfiles> {
    assertSignedIn(actor);
    if (!USERNAME_RULES.pattern.test(username)) {
      throw ValidationFailed.of(
        'username',
        `must be ${USERNAME_RULES.minLength} to ${USERNAME_RULES.maxLength} ASCII letters, digits or underscores`,
      );
    }
    const profile = await this.repository.findByUsername(username);
    if (!profile) return { profiles: [], missing: [username] };
    const [record] = await this.repository.getSuspensionsOf([profile.userId]);
    return isShownPublicly(profile, record, this.clock.now())
      ? { profiles: [publicProfileOf(profile, this.style)], missing: [] }
      : { profiles: [], missing: [username] };
  }
}

/**
 * Signed in: a caller with a subject (a verified token). The open API's caller has none, but is
 * everyone's administrator there, so may read these as it reads everything.
 */
function assertSignedIn(actor: Actor): void {
  if (actor.subject === undefined && !actor.admin) {
    throw new Forbidden('Public profiles are for signed-in users.');
  }
}
