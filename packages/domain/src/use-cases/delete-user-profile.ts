import { assertMayAccess, type Actor } from '../actor';
import type { PhotoStore, UserProfileRepository } from '../ports';
import { writeWithRetry } from './write-with-retry';

export class DeleteUserProfile {
  constructor(
    private readonly repository: UserProfileRepository,
    private readonly photos: Pick<PhotoStore, 'deleteRenditions'>,
  ) {}

  /**
   * Deletes the profile's photo renditions, then the profile, freeing its e-mail address. The
   * renditions go first: if storage fails, the profile stays (and the delete can be retried)
   * rather than leaving its photo public after the profile is gone.
   * @throws ProfileNotFound, VersionConflict, StorageUnavailable
   */
  async execute(actor: Actor, userId: string, expectedVersion?: number): Promise<void> {
    assertMayAccess(actor, userId);
    await writeWithRetry(this.repository, userId, expectedVersion, async (current) => {
      if (current.photo) await this.photos.deleteRenditions(current.photo.id);
      await this.repository.delete(current);
    });
  }
}
