import { InMemoryUserProfileRepository } from './in-memory-user-profile-repository';
import { describeUserProfileRepositoryContract } from './user-profile-repository.contract';

describeUserProfileRepositoryContract('in memory', async () => ({
  repository: new InMemoryUserProfileRepository(),
}));
