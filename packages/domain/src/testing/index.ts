export { FixedClock, SequentialIds, testUserId } from './fakes';
export { FakeImageProcessor, InMemoryPhotoStore } from './in-memory-photo-store';
export { InMemoryUserProfileRepository } from './in-memory-user-profile-repository';
export {
  describeUserProfileRepositoryContract,
  type RepositoryFactory,
} from './user-profile-repository.contract';
