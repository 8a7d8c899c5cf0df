export { FixedClock, SequentialIds, testUserId } from './fakes';
export { FakeImageProcessor, InMemoryPhotoStore } from './in-memory-photo-store';
export { InMemoryChangeEventStore } from './in-memory-change-event-store';
export { InMemoryProfileSearch } from './in-memory-profile-search';
export { InMemoryUserProfileRepository } from './in-memory-user-profile-repository';
export { InMemoryWebhookRegistry } from './in-memory-webhook-registry';
export {
  describeChangeEventStoreContract,
  type ChangeEventStoreFactory,
} from './change-event-store.contract';
export {
  describeUserProfileRepositoryContract,
  type RepositoryFactory,
} from './user-profile-repository.contract';
export {
  describeProfileSearchContract,
  type ProfileSearchFactory,
} from './profile-search.contract';
