import type { Clock, IdGenerator, UserProfileRepository } from '../ports';
import { newUserProfile, type UserProfile } from '../user-profile';

export class CreateUserProfile {
  constructor(
    private readonly repository: UserProfileRepository,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /** @throws ValidationFailed, EmailAlreadyTaken */
  async execute(input: unknown): Promise<UserProfile> {
    const profile = newUserProfile(input, { userId: this.ids.newId(), now: this.clock.now() });
    await this.repository.create(profile);
    return profile;
  }
}
