import { AccountSuspended, Forbidden, ProfileNotFound } from './errors';
import { isUserId, parseEmail } from './profile-rules';

/** Who is calling, as the edge established it (from a verified token, or the open API). */
export interface Actor {
  /** The caller's subject, which is also their profile id; none for the open API's caller. */
  readonly subject?: string;
  /** Admins may do everything: read and change any profile, list, find by e-mail. */
  readonly admin: boolean;
  /**
   * The e-mail address the identity provider has verified for the caller (normalised), when their
   * credential carries one. A signed-in user's profile holds this address and no other.
   */
  readonly verifiedEmail?: string;
  /**
   * When the caller's credential was issued (a token's `iat`): its `verifiedEmail` was the
   * caller's address at that time, and no later. Unknown for the open API's caller.
   */
  readonly issuedAt?: Date;
}

/** The caller of an open API (no authentication): anyone at all, allowed everything, as in the seeds. */
export const OPEN_ACCESS: Actor = Object.freeze({ admin: true });

/**
 * A signed-in user; `admin` when they belong to the admin group; `verifiedEmail` as their identity
 * provider verified it (an address that is not one is ignored), as of `issuedAt`.
 */
export function userActor(
  subject: string,
  admin = false,
  verifiedEmail?: string,
  issuedAt?: Date,
): Actor {
  const email = verifiedEmail === undefined ? undefined : parseEmail(verifiedEmail);
  return Object.freeze({
    subject,
    admin,
    ...(email?.ok ? { verifiedEmail: email.value } : {}),
    ...(issuedAt === undefined ? {} : { issuedAt }),
  });
}

/**
 * A user may reach only their own profile. Anyone else's is answered exactly as a profile that
 * does not exist, so that ids cannot be probed. @throws ProfileNotFound
 */
export function assertMayAccess(actor: Actor, userId: string): void {
  if (!actor.admin && actor.subject !== userId) throw new ProfileNotFound(userId);
}

/**
 * A suspended user may read and delete their own profile, and change nothing. `suspension` is the
 * subject's suspension in force (see `currentSuspension`); `blocked` a profile's flag from before
 * suspensions were records, honoured as one without end. Administrators act on others' profiles,
 * so another's suspension does not stop them. @throws AccountSuspended
 */
export function assertMayChange(
  actor: Actor,
  profile: { userId: string; blocked: boolean },
  suspension: { until?: string } | undefined,
): void {
  if (actor.admin) return;
  if (suspension) throw new AccountSuspended(profile.userId, suspension.until);
  if (profile.blocked) throw new AccountSuspended(profile.userId);
}

/** Suspending, lifting and reading suspensions are the administrators' alone. @throws Forbidden */
export function assertMaySuspend(actor: Actor): void {
  if (!actor.admin)
    throw new Forbidden('Only administrators may suspend accounts or see suspensions.');
}

/** Who did something, as records keep it: the subject, or `open-api` for the open API's caller. */
export const actorId = (actor: Actor): string => actor.subject ?? 'open-api';

/** Listing and finding by e-mail reveal other people's profiles: admins only. @throws Forbidden */
export function assertMayBrowse(actor: Actor): void {
  if (!actor.admin) throw new Forbidden('Only administrators may list or search profiles.');
}

/** The caller's own profile id (`/users/me`, the id of the profile they create). @throws Forbidden */
export function ownProfileId(actor: Actor): string {
  if (actor.subject === undefined) {
    throw new Forbidden('The caller is anonymous (the API is open), so has no own profile.');
  }
  if (!isUserId(actor.subject)) {
    throw new Forbidden("The caller's subject is not a valid profile id (a UUID).");
  }
  return actor.subject;
}
