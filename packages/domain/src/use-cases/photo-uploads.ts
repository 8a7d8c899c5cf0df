import { authorOf } from '../events/change-event';
import { assertMayAccess, type Actor } from '../actor';
import {
  AccountSuspended,
  PhotoInvalid,
  ProfileNotFound,
  UploadNotFound,
  VersionConflict,
} from '../errors';
import {
  PHOTO_LIMITS,
  parsePhotoCommit,
  parsePhotoUploadRequest,
  type ProfilePhoto,
  type UploadTicket,
} from '../photo';
import type {
  Clock,
  IdGenerator,
  ImageProcessor,
  PhotoStore,
  UserProfileRepository,
} from '../ports';
import { withPhoto, type UserProfile } from '../user-profile';
import { loadProfile } from './load-profile';
import { assertMayChangeNow, withStanding } from './standing';
import { writeWithRetry } from './write-with-retry';

/** A ticket to upload a photo straight to storage, for the owner (or an administrator). */
export class StartPhotoUpload {
  constructor(
    private readonly repository: UserProfileRepository,
    private readonly photos: PhotoStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /** @throws ValidationFailed, ProfileNotFound (also for another user's profile), AccountSuspended */
  async execute(actor: Actor, userId: string, request: unknown): Promise<UploadTicket> {
    assertMayAccess(actor, userId);
    const upload = parsePhotoUploadRequest(request);
    const profile = await loadProfile(this.repository, userId);
    await assertMayChangeNow(this.repository, this.clock, actor, profile);
    const expiresAt = new Date(this.clock.now().getTime() + PHOTO_LIMITS.ticketLifetimeMs);
    return this.photos.uploadTicket(userId, this.ids.newId(), upload, expiresAt);
  }
}

/**
 * Makes an upload the profile's photo: the file is decoded and re-encoded (never served as
 * uploaded), the renditions stored under a new id, the profile changed under optimistic
 * concurrency, and then the upload and the previous photo's renditions deleted. A commit that can
 * never succeed (no profile, a suspended account, a file that is no usable photo) deletes the
 * upload, so a retry is a fast refusal; one that may succeed on retry (a stale If-Match, storage
 * or the processor busy) keeps it until it expires.
 */
export class CommitPhoto {
  constructor(
    private readonly repository: UserProfileRepository,
    private readonly photos: PhotoStore,
    private readonly images: ImageProcessor,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /** @throws ValidationFailed, ProfileNotFound, AccountSuspended, VersionConflict, UploadNotFound, PhotoInvalid */
  async execute(
    actor: Actor,
    userId: string,
    request: unknown,
    expectedVersion?: number,
  ): Promise<UserProfile> {
    assertMayAccess(actor, userId);
    const { uploadId } = parsePhotoCommit(request);
    const before = await this.consumingUploadOnRefusal(userId, uploadId, async () => {
      const profile = await loadProfile(this.repository, userId);
      await assertMayChangeNow(this.repository, this.clock, actor, profile);
      return profile;
    });
    if (expectedVersion !== undefined && before.version !== expectedVersion) {
      throw new VersionConflict(userId); // before the costly part; the write checks again
    }
    const upload = await this.photos.findUpload(userId, uploadId);
    if (!upload) throw new UploadNotFound(uploadId);

    const renditions = await this.decode(userId, uploadId, upload.size, () => upload.read());
    const photo: ProfilePhoto = { id: this.ids.newId(), updatedAt: this.clock.now().toISOString() };
    await this.photos.saveRenditions(photo.id, renditions);

    let replaced: ProfilePhoto | undefined;
    let profile: UserProfile;
    try {
      profile = await writeWithRetry(this.repository, userId, expectedVersion, async (current) => {
        await assertMayChangeNow(this.repository, this.clock, actor, current);
        replaced = current.photo;
        const next = withPhoto(current, photo, this.clock.now());
        await this.repository.update(current, next, authorOf(actor, userId));
        return next;
      });
    } catch (error) {
      await this.photos.deleteRenditions(photo.id);
      if (isFinalRefusal(error)) await this.photos.deleteUpload(userId, uploadId);
      throw error;
    }
    await this.photos.deleteUpload(userId, uploadId);
    if (replaced) await this.photos.deleteRenditions(replaced.id);
    // Answered as every profile is: with its subject's suspension (an admin's commit, say).
    return withStanding(this.repository, this.clock, profile);
  }

  /** The renditions, or `PhotoInvalid` with the useless upload deleted. */
  private decode(userId: string, uploadId: string, size: number, read: () => Promise<Uint8Array>) {
    return this.consumingUploadOnRefusal(userId, uploadId, async () => {
      // The signed policy already refuses larger uploads; a storage that does not is caught here.
      if (size > PHOTO_LIMITS.maxBytes)
        throw new PhotoInvalid(`it is larger than ${PHOTO_LIMITS.maxBytes / 2 ** 20} MiB`);
      const file = await read();
      if (file.byteLength !== size) {
        throw new PhotoInvalid(`it is ${file.byteLength} bytes, not the ${size} stored`);
      }
      return this.images.renditions(file, {
        sizes: PHOTO_LIMITS.renditionSizes,
        maxPixels: PHOTO_LIMITS.maxPixels,
        maxJpegScans: PHOTO_LIMITS.maxJpegScans,
      });
    });
  }

  /** Runs `step`; a refusal that no retry can change deletes the upload before it is rethrown. */
  private async consumingUploadOnRefusal<T>(
    userId: string,
    uploadId: string,
    step: () => Promise<T>,
  ): Promise<T> {
    try {
      return await step();
    } catch (error) {
      if (isFinalRefusal(error)) await this.photos.deleteUpload(userId, uploadId);
      throw error;
    }
  }
}

/** A refusal of a commit that no retry of it can change: its upload is of no further use. */
const isFinalRefusal = (error: unknown) =>
  error instanceof PhotoInvalid ||
  error instanceof ProfileNotFound ||
  error instanceof AccountSuspended;

/** Removes the profile's photo and its renditions; a profile without one is left as it is. */
export class RemovePhoto {
  constructor(
    private readonly repository: UserProfileRepository,
    private readonly photos: PhotoStore,
    private readonly clock: Clock,
  ) {}

  /** @throws ProfileNotFound, AccountSuspended, VersionConflict */
  async execute(actor: Actor, userId: string, expectedVersion?: number): Promise<UserProfile> {
    assertMayAccess(actor, userId);
    const { profile, removed } = await writeWithRetry(
      this.repository,
      userId,
      expectedVersion,
      async (current) => {
        await assertMayChangeNow(this.repository, this.clock, actor, current);
        if (!current.photo) return { profile: current, removed: undefined };
        const next = withPhoto(current, undefined, this.clock.now());
        await this.repository.update(current, next, authorOf(actor, userId));
        return { profile: next, removed: current.photo };
      },
    );
    if (removed) await this.photos.deleteRenditions(removed.id);
    return profile;
  }
}
