import { assertMayAccess, assertMayChange, type Actor } from '../actor';
import { PhotoInvalid, UploadNotFound, VersionConflict } from '../errors';
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
import { writeWithRetry } from './write-with-retry';

/** A ticket to upload a photo straight to storage, for the owner (or an administrator). */
export class StartPhotoUpload {
  constructor(
    private readonly repository: UserProfileRepository,
    private readonly photos: PhotoStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /** @throws ValidationFailed, ProfileNotFound (also for another user's profile), AccountBlocked */
  async execute(actor: Actor, userId: string, request: unknown): Promise<UploadTicket> {
    assertMayAccess(actor, userId);
    const upload = parsePhotoUploadRequest(request);
    assertMayChange(actor, await loadProfile(this.repository, userId));
    const expiresAt = new Date(this.clock.now().getTime() + PHOTO_LIMITS.ticketLifetimeMs);
    return this.photos.uploadTicket(userId, this.ids.newId(), upload, expiresAt);
  }
}

/**
 * Makes an upload the profile's photo: the file is decoded and re-encoded (never served as
 * uploaded), the renditions stored under a new id, the profile changed under optimistic
 * concurrency, and then the upload and the previous photo's renditions deleted. Whatever fails,
 * nothing is left behind but the upload, which expires.
 */
export class CommitPhoto {
  constructor(
    private readonly repository: UserProfileRepository,
    private readonly photos: PhotoStore,
    private readonly images: ImageProcessor,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /** @throws ValidationFailed, ProfileNotFound, AccountBlocked, VersionConflict, UploadNotFound, PhotoInvalid */
  async execute(
    actor: Actor,
    userId: string,
    request: unknown,
    expectedVersion?: number,
  ): Promise<UserProfile> {
    assertMayAccess(actor, userId);
    const { uploadId } = parsePhotoCommit(request);
    const before = await loadProfile(this.repository, userId);
    assertMayChange(actor, before);
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
        assertMayChange(actor, current);
        replaced = current.photo;
        const next = withPhoto(current, photo, this.clock.now());
        await this.repository.update(current, next);
        return next;
      });
    } catch (error) {
      await this.photos.deleteRenditions(photo.id);
      throw error;
    }
    await this.photos.deleteUpload(userId, uploadId);
    if (replaced) await this.photos.deleteRenditions(replaced.id);
    return profile;
  }

  /** The renditions, or `PhotoInvalid` with the useless upload deleted. */
  private async decode(
    userId: string,
    uploadId: string,
    size: number,
    read: () => Promise<Uint8Array>,
  ) {
    try {
      // The signed policy already refuses larger uploads; a storage that does not is caught here.
      if (size > PHOTO_LIMITS.maxBytes) throw new PhotoInvalid('it is larger than 5 MiB');
      return await this.images.renditions(await read(), {
        sizes: PHOTO_LIMITS.renditionSizes,
        maxPixels: PHOTO_LIMITS.maxPixels,
      });
    } catch (error) {
      if (error instanceof PhotoInvalid) await this.photos.deleteUpload(userId, uploadId);
      throw error;
    }
  }
}

/** Removes the profile's photo and its renditions; a profile without one is left as it is. */
export class RemovePhoto {
  constructor(
    private readonly repository: UserProfileRepository,
    private readonly photos: PhotoStore,
    private readonly clock: Clock,
  ) {}

  /** @throws ProfileNotFound, AccountBlocked, VersionConflict */
  async execute(actor: Actor, userId: string, expectedVersion?: number): Promise<UserProfile> {
    assertMayAccess(actor, userId);
    const { profile, removed } = await writeWithRetry(
      this.repository,
      userId,
      expectedVersion,
      async (current) => {
        assertMayChange(actor, current);
        if (!current.photo) return { profile: current, removed: undefined };
        const next = withPhoto(current, undefined, this.clock.now());
        await this.repository.update(current, next);
        return { profile: next, removed: current.photo };
      },
    );
    if (removed) await this.photos.deleteRenditions(removed.id);
    return profile;
  }
}
