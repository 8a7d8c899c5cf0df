import { authorOf } from '../events/change-event';
import { assertMayAccess, type Actor } from '../actor';
import type { PhotoStore, UserProfileRepository } from '../ports';
import { writeWithRetry } from './write-with-retry';

/** What a deletion could not clean up after the profile was gone (left to the orphan sweep). */
export interface DeletionOutcome {
  readonly cleanupFailure?: unknown;
}

export class DeleteUserProfile {
  constructor(
    private readonly repository: UserProfileRepository,
    private readonly photos: Pick<PhotoStore, 'deleteRenditions' | 'deleteUploads'>,
  ) {}

  /**
   * Deletes the profile (freeing its e-mail address) under its version, then its photo's
   * renditions and every upload of the user. Files go only after the conditional delete has
   * committed: a delete that loses a race (412) leaves the profile and its photo whole. A storage
   * failure after the commit cannot undo it; it is reported in the outcome, and what is left is
   * removed by the orphan sweep (renditions) or the uploads' one-day expiry.
   * @throws ProfileNotFound, VersionConflict, StorageUnavailable
   */
  async execute(actor: Actor, userId: string, expectedVersion?: number): Promise<DeletionOutcome> {
    assertMayAccess(actor, userId);
    const deleted = await writeWithRetry(
      this.repository,
      userId,
      expectedVersion,
      async (current) => {
        await this.repository.delete(current, authorOf(actor, userId));
        return current;
      },
    );
    try {
      await Promise.all([
        deleted.photo && this.photos.deleteRenditions(deleted.photo.id),
        this.photos.deleteUploads(userId),
      ]);
      return {};
    } catch (cleanupFailure) {
      return { cleanupFailure };
    }
  }
}
