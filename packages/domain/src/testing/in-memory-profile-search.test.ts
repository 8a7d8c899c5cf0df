import { InMemoryProfileSearch } from './in-memory-profile-search';
import { InMemoryUserProfileRepository } from './in-memory-user-profile-repository';
import { describeProfileSearchContract } from './profile-search.contract';

describeProfileSearchContract('in memory', async () => {
  const repository = new InMemoryUserProfileRepository();
  return { repository, search: new InMemoryProfileSearch(() => repository.all()) };
});
