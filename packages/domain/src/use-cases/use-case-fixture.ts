import type { PhotoReferences, UserProfileRepository } from '../ports';
import {
  FakeImageProcessor,
  FixedClock,
  InMemoryPhotoStore,
  InMemoryUserProfileRepository,
  SequentialIds,
} from '../testing';
import { CreateUserProfile } from './create-user-profile';
import { DeleteUserProfile } from './delete-user-profile';
import { FindUserProfileByEmail } from './find-user-profile-by-email';
import { GetUserProfile } from './get-user-profile';
import { ListUserProfiles } from './list-user-profiles';
import { ManageSuspensions } from './manage-suspensions';
import { PatchUserProfile } from './patch-user-profile';
import { CommitPhoto, RemovePhoto, StartPhotoUpload } from './photo-uploads';
import { SweepOrphanRenditions } from './sweep-orphan-renditions';
import { UpdateUserProfile } from './update-user-profile';

/** Every use case on one store (in memory by default), a fixed clock and sequential ids: for tests. */
export function useCases(
  repository: UserProfileRepository & PhotoReferences = new InMemoryUserProfileRepository(),
) {
  const clock = new FixedClock();
  const photos = new InMemoryPhotoStore();
  const ids = new SequentialIds();
  return {
    repository,
    clock,
    photos,
    create: new CreateUserProfile(repository, clock, ids),
    get: new GetUserProfile(repository, clock),
    find: new FindUserProfileByEmail(repository, clock),
    list: new ListUserProfiles(repository, clock),
    suspensions: new ManageSuspensions(repository, clock),
    update: new UpdateUserProfile(repository, clock),
    patch: new PatchUserProfile(repository, clock),
    remove: new DeleteUserProfile(repository, photos),
    startPhotoUpload: new StartPhotoUpload(repository, photos, clock, ids),
    commitPhoto: new CommitPhoto(repository, photos, new FakeImageProcessor(), clock, ids),
    removePhoto: new RemovePhoto(repository, photos, clock),
    sweep: new SweepOrphanRenditions(repository, photos, clock),
  };
}

export const profileInput = (email: string) => ({ email, firstName: 'Ada', lastName: 'Lovelace' });
