import { assertMayAccess, type Actor } from '../actor';
import type { PhotoStore, UserProfileRepository } from '../ports';
import { writeWithRetry } from './write-with-retry';

export class DeleteUserProfile {
  constructor(
    private readonly repository: UserProfileRepository,
    private readonly photos: Pick<PhotoStore, 'deleteRenditions'>,
  ) {}

  /**
   * Deletes the profile, frees its e-mail address and deletes its photo's renditions.
   * @throws ProfileNotFound, VersionConflict
   */
  async execute(actor: Actor, userId: string, expectedVersion?: number): Promise<void> {
    assertMayAccess(actor, userId);
    const deleted = await writeWithRetry(
      this.repository,
      userId,
      expectedVersion,
      async (current) => {
        await this.repository.delete(current);
        return current;
      },
    );
    if (deleted.photo) await this.photos.deleteRenditions(deleted.photo.id);
  }
}
