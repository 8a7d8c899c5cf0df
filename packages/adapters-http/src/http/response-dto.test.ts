import type { UploadTicket as TicketOfTheDomain } from '@userprofile/domain';
import type { Problem as ProblemBody } from './problem';
import type { ProfileView } from './profile-view';
import type { Problem, ProfilePage, UploadTicket, UserProfile } from './response-dto';
import type { UserProfileController } from './user-profile-controller';

/** True when each type is assignable to the other: the same shape. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Answer<M extends (...args: never[]) => unknown> = Awaited<ReturnType<M>>;

// Checked by the compiler (pnpm typecheck): a `false` here does not compile.
const sameShapes: {
  profile: Same<ProfileView, UserProfile>;
  page: Same<Answer<UserProfileController['list']>, ProfilePage>;
  ticket: Same<TicketOfTheDomain, UploadTicket>;
  problem: Same<ProblemBody, Problem>;
} = { profile: true, page: true, ticket: true, problem: true };

describe('the answers as the document defines them (response-dto.ts)', () => {
  it('are the very types the controllers answer with', () => {
    expect(sameShapes).toEqual({ profile: true, page: true, ticket: true, problem: true });
  });
});
