import { PHOTO_LIMITS } from '../photo';
import type { Clock, PhotoReferences, PhotoStore } from '../ports';

/** What one sweep found: how many rendition sets it looked at, and the ids it deleted. */
export interface SweepOutcome {
  readonly examined: number;
  readonly deleted: readonly string[];
}

/**
 * Deletes renditions that no profile shows: those of a commit whose profile write failed and
 * whose clean-up failed too, or left when storage failed after a profile or photo was deleted.
 * Only renditions older than the grace period are considered, so a commit between storing its
 * renditions and writing the profile is never touched. Run on a schedule in AWS and at the local
 * server's start.
 */
export class SweepOrphanRenditions {
  constructor(
    private readonly references: PhotoReferences,
    private readonly photos: Pick<PhotoStore, 'renditionIds' | 'deleteRenditions'>,
    private readonly clock: Clock,
  ) {}

  async execute(): Promise<SweepOutcome> {
    const storedBefore = new Date(this.clock.now().getTime() - PHOTO_LIMITS.orphanGraceMs);
    // Read after fixing the cut-off: a photo committed since has renditions newer than it.
    const referenced = new Set<string>();
    for await (const id of this.references.referencedPhotoIds()) referenced.add(id);
    let examined = 0;
    const deleted: string[] = [];
    for await (const id of this.photos.renditionIds(storedBefore)) {
      examined += 1;
      if (referenced.has(id)) continue;
      await this.photos.deleteRenditions(id);
      deleted.push(id);
    }
    return { examined, deleted };
  }
}
