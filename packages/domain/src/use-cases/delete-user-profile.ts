import { assertMayAccess, type Actor } from '../actor';
import type { UserProfileRepository } from '../ports';
import { writeWithRetry } from './write-with-retry';

export class DeleteUserProfile {
  constructor(private readonly repository: UserProfileRepository) {}

  /** Deletes the profile and frees its e-mail address. @throws ProfileNotFound, VersionConflict */
  async execute(actor: Actor, userId: string, expectedVersion?: number): Promise<void> {
    assertMayAccess(actor, userId);
    return writeWithRetry(this.repository, userId, expectedVersion, (current) =>
      this.repository.delete(current),
    );
  }
}
