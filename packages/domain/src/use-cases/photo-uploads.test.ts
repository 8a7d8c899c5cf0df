import { OPEN_ACCESS, userActor } from '../actor';
import {
  AccountSuspended,
  PhotoInvalid,
  ProfileNotFound,
  StorageUnavailable,
  UploadNotFound,
  ValidationFailed,
  VersionConflict,
} from '../errors';
import { PHOTO_LIMITS } from '../photo';
import type { PhotoReferences, UserProfileRepository } from '../ports';
import { InMemoryPhotoStore, InMemoryUserProfileRepository, testUserId } from '../testing';
import type { UserProfile } from '../user-profile';
import { DeleteUserProfile } from './delete-user-profile';
import { profileInput, useCases } from './use-case-fixture';

const ada = userActor(testUserId(101), false, 'ada@example.com');
const bob = userActor(testUserId(102), false, 'bob@example.com');
const admin = userActor(testUserId(900), true);
const image = Uint8Array.from('image/jpeg bytes', (c) => c.charCodeAt(0));
const text = Uint8Array.from('hello, not an image', (c) => c.charCodeAt(0));
const jpeg = { contentType: 'image/jpeg', contentLength: 1000 };

async function given(repository?: UserProfileRepository & PhotoReferences) {
  const s = useCases(repository);
  const profile = await s.create.execute(ada, profileInput('ada@example.com'));
  /** A ticket, and the client's upload of `bytes` with it. */
  const uploaded = async (bytes: Uint8Array) => {
    const ticket = await s.startPhotoUpload.execute(ada, profile.userId, jpeg);
    s.photos.upload(profile.userId, ticket.uploadId, bytes);
    return ticket.uploadId;
  };
  return { ...s, profile, id: profile.userId, uploaded };
}

describe('starting a photo upload', () => {
  it('gives the owner a ticket valid for ten minutes for their own upload key', async () => {
    const s = await given();
    const ticket = await s.startPhotoUpload.execute(ada, s.id, jpeg);
    expect(ticket.method).toBe('POST');
    expect(new Date(ticket.expiresAt).getTime() - s.clock.now().getTime()).toBe(
      PHOTO_LIMITS.ticketLifetimeMs,
    );
    expect(s.photos.tickets).toEqual([{ userId: s.id, uploadId: ticket.uploadId, request: jpeg }]);
  });

  it('names every problem of the request at once', async () => {
    const s = await given();
    const error = await s.startPhotoUpload
      .execute(ada, s.id, { contentType: 'image/gif', contentLength: 6 * 1024 * 1024, x: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).errors.map((p) => p.field).sort()).toEqual([
      'contentLength',
      'contentType',
      'x',
    ]);
  });

  it('gives no ticket for another user’s profile, nor to a blocked user', async () => {
    const s = await given();
    await expect(s.startPhotoUpload.execute(bob, s.id, jpeg)).rejects.toBeInstanceOf(
      ProfileNotFound,
    );
    await s.update.execute(admin, s.id, { blocked: true });
    await expect(s.startPhotoUpload.execute(ada, s.id, jpeg)).rejects.toBeInstanceOf(
      AccountSuspended,
    );
    expect(s.photos.tickets).toHaveLength(0);
  });
});

describe('committing a photo', () => {
  it('sets the photo, keeps the renditions and deletes the upload', async () => {
    const s = await given();
    const uploadId = await s.uploaded(image);
    const profile = await s.commitPhoto.execute(ada, s.id, { uploadId });
    expect(profile.photo).toEqual({
      id: expect.any(String),
      updatedAt: s.clock.now().toISOString(),
    });
    expect(profile.version).toBe(2);
    expect(s.photos.keys()).toEqual(
      [64, 256, 1024].map((size) => `photos/${profile.photo!.id}/${size}.webp`).sort(),
    );
  });

  it('refuses a file that is not an image, and deletes it', async () => {
    const s = await given();
    const uploadId = await s.uploaded(text);
    await expect(s.commitPhoto.execute(ada, s.id, { uploadId })).rejects.toBeInstanceOf(
      PhotoInvalid,
    );
    expect(s.photos.keys()).toEqual([]);
    expect((await s.get.execute(ada, s.id)).photo).toBeUndefined();
  });

  it('refuses an upload larger than 5 MiB that a storage let through, and deletes it', async () => {
    const s = await given();
    const big = new Uint8Array(PHOTO_LIMITS.maxBytes + 1);
    big.set(image);
    const uploadId = await s.uploaded(big);
    await expect(s.commitPhoto.execute(ada, s.id, { uploadId })).rejects.toThrow(/5 MiB/);
    expect(s.photos.keys()).toEqual([]);
  });

  it('knows no upload that was never made, nor another user’s', async () => {
    const s = await given();
    const bobs = await s.create.execute(bob, profileInput('bob@example.com'));
    const ticket = await s.startPhotoUpload.execute(bob, bobs.userId, jpeg);
    s.photos.upload(bobs.userId, ticket.uploadId, image);
    await expect(
      s.commitPhoto.execute(ada, s.id, { uploadId: ticket.uploadId }),
    ).rejects.toBeInstanceOf(UploadNotFound);
    await expect(
      s.commitPhoto.execute(ada, s.id, { uploadId: testUserId(4242) }),
    ).rejects.toBeInstanceOf(UploadNotFound);
    await expect(s.commitPhoto.execute(ada, s.id, { uploadId: 'x' })).rejects.toBeInstanceOf(
      ValidationFailed,
    );
    await expect(
      s.commitPhoto.execute(bob, s.id, { uploadId: ticket.uploadId }),
    ).rejects.toBeInstanceOf(ProfileNotFound);
  });

  it('replaces a photo and deletes the old renditions', async () => {
    const s = await given();
    const first = await s.commitPhoto.execute(ada, s.id, { uploadId: await s.uploaded(image) });
    const second = await s.commitPhoto.execute(ada, s.id, { uploadId: await s.uploaded(image) });
    expect(second.photo!.id).not.toBe(first.photo!.id);
    expect(s.photos.keys().every((key) => key.startsWith(`photos/${second.photo!.id}/`))).toBe(
      true,
    );
    expect(s.photos.keys()).toHaveLength(3);
  });

  it('with a stale If-Match version changes nothing and stores nothing', async () => {
    const s = await given();
    const uploadId = await s.uploaded(image);
    await s.update.execute(ada, s.id, { firstName: 'Changed' });
    await expect(s.commitPhoto.execute(ada, s.id, { uploadId }, 1)).rejects.toBeInstanceOf(
      VersionConflict,
    );
    expect(s.photos.keys()).toEqual([`uploads/${s.id}/${uploadId}`]);
  });

  it('loses no concurrent profile change, and keeps its own', async () => {
    const inner = new InMemoryUserProfileRepository();
    let raced = false;
    const racing = Object.assign(Object.create(inner) as InMemoryUserProfileRepository, {
      async update(previous: UserProfile, next: UserProfile) {
        if (!raced && next.photo) {
          raced = true;
          await inner.update(previous, {
            ...previous,
            lastName: 'Concurrent',
            version: previous.version + 1,
          });
        }
        return inner.update(previous, next);
      },
    });
    const s = await given(racing);
    const profile = await s.commitPhoto.execute(ada, s.id, { uploadId: await s.uploaded(image) });
    expect(profile).toMatchObject({ lastName: 'Concurrent', version: 3 });
    expect(profile.photo).toBeDefined();
  });

  it('deletes its renditions when the profile is deleted while they are made', async () => {
    const inner = new InMemoryUserProfileRepository();
    const deletedMeanwhile = Object.assign(Object.create(inner) as InMemoryUserProfileRepository, {
      async update(previous: UserProfile, next: UserProfile) {
        if (next.photo) await inner.delete(previous);
        return inner.update(previous, next);
      },
    });
    const s = await given(deletedMeanwhile);
    const uploadId = await s.uploaded(image);
    await expect(s.commitPhoto.execute(ada, s.id, { uploadId })).rejects.toBeInstanceOf(
      ProfileNotFound,
    );
    // Nothing is left: no rendition, and the upload (with whatever metadata it carried) is gone.
    expect(s.photos.keys()).toEqual([]);
  });

  it('deletes the upload of a commit refused because the profile is gone or suspended', async () => {
    const s = await given();
    const forGone = await s.uploaded(image);
    await s.remove.execute(ada, s.id);
    // (Deleting the profile deletes its uploads; one made by a stale client is refused too.)
    s.photos.upload(s.id, forGone, image);
    await expect(s.commitPhoto.execute(ada, s.id, { uploadId: forGone })).rejects.toBeInstanceOf(
      ProfileNotFound,
    );
    expect(s.photos.keys()).toEqual([]);

    const t = await given();
    const uploadId = await t.uploaded(image);
    await t.update.execute(admin, t.id, { blocked: true });
    await expect(t.commitPhoto.execute(ada, t.id, { uploadId })).rejects.toBeInstanceOf(
      AccountSuspended,
    );
    expect(t.photos.keys()).toEqual([]);
  });

  it('keeps the upload of a commit that may succeed on retry (a stale If-Match)', async () => {
    const s = await given();
    const uploadId = await s.uploaded(image);
    await expect(
      s.commitPhoto.execute(ada, s.id, { uploadId }, s.profile.version + 5),
    ).rejects.toBeInstanceOf(VersionConflict);
    expect(s.photos.keys()).toEqual([`uploads/${s.id}/${uploadId}`]);
    const committed = await s.commitPhoto.execute(ada, s.id, { uploadId }, s.profile.version);
    expect(committed.photo).toBeDefined();
  });

  it('refuses an upload whose bytes are not the size storage reported, and deletes it', async () => {
    const s = await given();
    const uploadId = await s.uploaded(image);
    const findUpload = s.photos.findUpload.bind(s.photos);
    s.photos.findUpload = async (userId, id) => {
      const found = await findUpload(userId, id);
      return found && { ...found, size: found.size + 1 };
    };
    await expect(s.commitPhoto.execute(ada, s.id, { uploadId })).rejects.toThrow(
      /bytes, not the \d+ stored/,
    );
    expect(s.photos.keys()).toEqual([]);
  });

  it('refuses a photo as a field of a profile change', async () => {
    const s = await given();
    await expect(
      s.update.execute(ada, s.id, { photo: { id: testUserId(5), updatedAt: 'x' } }),
    ).rejects.toThrow(/photo: is read-only/);
  });
});

describe('removing photos', () => {
  it('removes the photo and its renditions; again is no change', async () => {
    const s = await given();
    await s.commitPhoto.execute(ada, s.id, { uploadId: await s.uploaded(image) });
    const removed = await s.removePhoto.execute(ada, s.id);
    expect(removed.photo).toBeUndefined();
    expect(removed.version).toBe(3);
    expect(s.photos.keys()).toEqual([]);
    expect((await s.removePhoto.execute(ada, s.id)).version).toBe(3);
  });

  it('touches no file when the delete loses a race: the profile and its photo stay whole', async () => {
    const s = await given();
    const withPhoto = await s.commitPhoto.execute(ada, s.id, { uploadId: await s.uploaded(image) });
    const pending = await s.uploaded(image);
    // A PATCH wins between the delete's read and its conditional write.
    const racing = Object.assign(Object.create(s.repository) as UserProfileRepository, {
      delete: async (profile: UserProfile) => {
        await s.patch.execute(ada, s.id, { lastName: 'Won' });
        return s.repository.delete(profile);
      },
    });
    const remove = new DeleteUserProfile(racing, s.photos);
    await expect(remove.execute(ada, s.id, withPhoto.version)).rejects.toBeInstanceOf(
      VersionConflict,
    );
    const survivor = await s.get.execute(ada, s.id);
    expect(survivor.photo).toEqual(withPhoto.photo);
    expect(s.photos.keys()).toHaveLength(4); // three renditions and the pending upload
    expect(s.photos.keys()).toContain(`uploads/${s.id}/${pending}`);
  });

  it('deletes the profile even when storage fails afterwards, and says what is left', async () => {
    const s = await given();
    await s.commitPhoto.execute(ada, s.id, { uploadId: await s.uploaded(image) });
    s.photos.deleteRenditions = async () => {
      throw new StorageUnavailable();
    };
    const outcome = await s.remove.execute(ada, s.id);
    expect(outcome.cleanupFailure).toBeInstanceOf(StorageUnavailable);
    await expect(s.get.execute(ada, s.id)).rejects.toBeInstanceOf(ProfileNotFound);
    expect(s.photos.keys()).toHaveLength(3); // left to the orphan sweep
  });

  it('deletes the photo and every upload with the profile', async () => {
    const s = await given();
    await s.commitPhoto.execute(ada, s.id, { uploadId: await s.uploaded(image) });
    await s.uploaded(image);
    await s.uploaded(text);
    expect(s.photos.keys()).toHaveLength(5);
    expect(await s.remove.execute(OPEN_ACCESS, s.id)).toEqual({});
    expect(s.photos.keys()).toEqual([]);
  });
});

describe('sweeping orphan renditions', () => {
  const hour = 60 * 60 * 1000;
  const webp = Uint8Array.of(1, 2, 3);

  it('deletes renditions no profile shows once they are older than an hour, and nothing else', async () => {
    const s = await given();
    const shown = await s.commitPhoto.execute(ada, s.id, { uploadId: await s.uploaded(image) });
    const pending = await s.uploaded(image);
    const longAgo = new Date(s.clock.now().getTime() - 2 * hour);
    const recently = new Date(s.clock.now().getTime() - hour / 2);
    // Planted: an orphan of two hours (a failed clean-up), one of half an hour (a commit that may
    // still be writing its profile), and the shown photo's renditions made old too.
    for (const size of PHOTO_LIMITS.renditionSizes) {
      s.photos.put(`photos/${testUserId(7001)}/${size}.webp`, webp, longAgo);
      s.photos.put(`photos/${testUserId(7002)}/${size}.webp`, webp, recently);
      s.photos.put(`photos/${shown.photo!.id}/${size}.webp`, webp, longAgo);
    }
    const outcome = await s.sweep.execute();
    expect(outcome).toEqual({ examined: 2, deleted: [testUserId(7001)] });
    expect(s.photos.keys()).toEqual(
      [
        ...PHOTO_LIMITS.renditionSizes.map((n) => `photos/${shown.photo!.id}/${n}.webp`),
        ...PHOTO_LIMITS.renditionSizes.map((n) => `photos/${testUserId(7002)}/${n}.webp`),
        `uploads/${s.id}/${pending}`,
      ].sort(),
    );
    // Once the profile is deleted, and its clean-up had failed, the next sweep takes its photo.
    s.photos.deleteRenditions = async () => {
      throw new StorageUnavailable();
    };
    expect((await s.remove.execute(ada, s.id)).cleanupFailure).toBeDefined();
    s.photos.deleteRenditions = InMemoryPhotoStore.prototype.deleteRenditions.bind(s.photos);
    expect((await s.sweep.execute()).deleted).toEqual([shown.photo!.id]);
  });
});
