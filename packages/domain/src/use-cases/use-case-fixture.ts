import type { UserProfileRepository } from '../ports';
import { FixedClock, InMemoryUserProfileRepository, SequentialIds } from '../testing';
import { CreateUserProfile } from './create-user-profile';
import { DeleteUserProfile } from './delete-user-profile';
import { FindUserProfileByEmail } from './find-user-profile-by-email';
import { GetUserProfile } from './get-user-profile';
import { ListUserProfiles } from './list-user-profiles';
import { PatchUserProfile } from './patch-user-profile';
import { UpdateUserProfile } from './update-user-profile';

/** Every use case on one store (in memory by default), a fixed clock and sequential ids: for tests. */
export function useCases(repository: UserProfileRepository = new InMemoryUserProfileRepository()) {
  const clock = new FixedClock();
  return {
    repository,
    clock,
    create: new CreateUserProfile(repository, clock, new SequentialIds()),
    get: new GetUserProfile(repository, clock),
    find: new FindUserProfileByEmail(repository),
    list: new ListUserProfiles(repository),
    update: new UpdateUserProfile(repository, clock),
    patch: new PatchUserProfile(repository, clock),
    remove: new DeleteUserProfile(repository),
  };
}

export const profileInput = (email: string) => ({ email, firstName: 'Ada', lastName: 'Lovelace' });
