import type { Actor } from './actor';
import { ValidationFailed, type FieldProblem } from './errors';
import { isPlainObject } from './json';
import { parseEmail } from './profile-rules';

/**
 * A signed-in user who is not an administrator: their profile's e-mail is the address their
 * identity provider verified, never one they type. So nobody can claim a stranger's address, and
 * no answer to them depends on whether someone else's address is in use. Administrators, and the
 * open API's anonymous caller, set addresses freely.
 */
function emailIsBound(actor: Actor): boolean {
  return actor.subject !== undefined && !actor.admin;
}

/** When the address a bound caller gives was theirs: their credential's issue time. */
export function boundEmailTime(actor: Actor): Date | undefined {
  return emailIsBound(actor) ? actor.issuedAt : undefined;
}

const NOT_YOURS = 'must be the verified e-mail address of your sign-in';
const STALE =
  "is your sign-in's, which was issued before the profile's address last changed: sign in again for a current credential";

/**
 * Whether the caller's verified address is news to a profile: their credential was issued after
 * the profile's address was last set. An older credential (or one of unknown age) carries an
 * address the profile has since moved on from, and never moves it back.
 */
function emailIsNewer(actor: Actor, profile: { emailChangedAt: string }): boolean {
  return (
    actor.issuedAt !== undefined && actor.issuedAt.getTime() > Date.parse(profile.emailChangedAt)
  );
}
const NONE_VERIFIED =
  'must be the verified e-mail address of your sign-in, and your credential carries none: sign in with an ID token after verifying your address';

/**
 * The body with the caller's verified e-mail in place of whatever `email` it gave, and the problem
 * when it gave another address. `create`: the e-mail may be left out (the verified one is used),
 * and a caller with none verified cannot create. A change of `current` carries the verified
 * address when the caller's credential is newer than the profile's address, so an address changed
 * at the identity provider reaches the profile with the user's next write (reads never write);
 * an older credential leaves the address as it is, and naming its address is refused.
 */
export function bindEmail(
  actor: Actor,
  body: unknown,
  purpose: 'create' | { change: { email: string; emailChangedAt: string } },
): { body: unknown; problem?: FieldProblem } {
  if (!emailIsBound(actor) || !isPlainObject(body)) return { body };
  if (purpose !== 'create') {
    const { change: current } = purpose;
    const stale = actor.verifiedEmail !== current.email && !emailIsNewer(actor, current);
    if (stale && actor.verifiedEmail !== undefined) {
      const given = body.email === undefined ? undefined : parseEmail(body.email);
      if (given === undefined) return { body };
      if (given.ok && given.value === actor.verifiedEmail) {
        return {
          body: { ...body, email: current.email },
          problem: { field: 'email', message: STALE },
        };
      }
    }
  }
  const given = body.email;
  const verified = actor.verifiedEmail;
  if (verified === undefined) {
    return given === undefined && purpose !== 'create'
      ? { body }
      : { body: withoutEmail(body), problem: { field: 'email', message: NONE_VERIFIED } };
  }
  if (given !== undefined) {
    const parsed = parseEmail(given);
    // A malformed address is the profile rules' to name; another valid one is refused here.
    if (!parsed.ok) return { body };
    if (parsed.value !== verified) {
      return {
        body: { ...body, email: verified },
        problem: { field: 'email', message: NOT_YOURS },
      };
    }
  }
  // An empty change stays empty (a PUT of nothing is still refused as such).
  return Object.keys(body).length === 0 ? { body } : { body: { ...body, email: verified } };
}

/** Runs `make`, answering `problem` with every problem `make` finds, in one `ValidationFailed`. */
export function withProblem<T>(problem: FieldProblem | undefined, make: () => T): T {
  if (!problem) return make();
  try {
    make();
  } catch (error) {
    if (!(error instanceof ValidationFailed)) throw error;
    throw new ValidationFailed([problem, ...error.errors.filter((e) => e.field !== problem.field)]);
  }
  throw new ValidationFailed([problem]);
}

function withoutEmail(body: Record<string, unknown>): Record<string, unknown> {
  const { email: _email, ...rest } = body;
  return rest;
}
