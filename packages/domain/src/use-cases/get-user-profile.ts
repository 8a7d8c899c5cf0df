import type { UserProfileRepository } from '../ports';
import type { UserProfile } from '../user-profile';
import { loadProfile } from './load-profile';

export class GetUserProfile {
  constructor(private readonly repository: UserProfileRepository) {}

  /** @throws ProfileNotFound */
  execute(userId: string): Promise<UserProfile> {
    return loadProfile(this.repository, userId);
  }
}
