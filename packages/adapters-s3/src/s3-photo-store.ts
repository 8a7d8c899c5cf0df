import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  paginateListObjectsV2,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import {
  PHOTO_LIMITS,
  StorageUnavailable,
  type PhotoStore,
  type PhotoUploadRequest,
  type Rendition,
  type StoredUpload,
  type UploadTicket,
} from '@userprofile/domain';
import { RENDITIONS_PREFIX, renditionKey, uploadKey } from './photo-keys';

/**
 * Renditions never change under their key, but a deleted or replaced photo must stop being shown:
 * caches (the CDN's and every app's) keep one for at most an hour, and none serves it longer
 * (docs/adr/0013-photos-under-abuse.md: why not CDN invalidations).
 */
export const RENDITION_MAX_AGE_SECONDS = 3600;
export const RENDITION_CACHE_CONTROL = `public, max-age=${RENDITION_MAX_AGE_SECONDS}`;

/**
 * The photo store on S3: uploads by presigned POST (the policy fixes the key, the content type
 * and the exact length, and expires), renditions as WebP objects never overwritten. S3's failures become
 * `StorageUnavailable`, with the cause kept.
 */
export class S3PhotoStore implements PhotoStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async uploadTicket(
    userId: string,
    uploadId: string,
    request: PhotoUploadRequest,
    expiresAt: Date,
  ): Promise<UploadTicket> {
    const Key = uploadKey(userId, uploadId);
    const seconds = Math.max(1, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
    const { url, fields } = await this.call(() =>
      createPresignedPost(this.s3, {
        Bucket: this.bucket,
        Key,
        Conditions: [
          ['eq', '$key', Key],
          ['eq', '$Content-Type', request.contentType],
          ['content-length-range', request.contentLength, request.contentLength],
        ],
        Fields: { 'Content-Type': request.contentType },
        Expires: Math.min(seconds, PHOTO_LIMITS.ticketLifetimeMs / 1000),
      }),
    );
    return { uploadId, url, method: 'POST', fields, expiresAt: expiresAt.toISOString() };
  }

  async findUpload(userId: string, uploadId: string): Promise<StoredUpload | undefined> {
    const Key = uploadKey(userId, uploadId);
    // A listing of the key itself rather than HeadObject: S3 answers a missing key 404 only to a
    // caller allowed to list, and a listing is the one call that carries `s3:prefix`, so the
    // grant can stay limited to `uploads/` (HeadObject's implicit check has no prefix).
    const listed = await this.call(() =>
      this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: Key, MaxKeys: 1 })),
    );
    const head = listed.Contents?.find((object) => object.Key === Key);
    if (!head) return undefined;
    return {
      size: head.Size ?? 0,
      read: () =>
        this.call(async () => {
          const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key }));
          if (!object.Body) throw new Error(`The upload ${Key} has no body.`);
          return object.Body.transformToByteArray();
        }),
    };
  }

  async deleteUpload(userId: string, uploadId: string): Promise<void> {
    await this.delete(uploadKey(userId, uploadId));
  }

  async deleteUploads(userId: string): Promise<void> {
    await this.call(async () => {
      const pages = paginateListObjectsV2(
        { client: this.s3 },
        { Bucket: this.bucket, Prefix: uploadKey(userId, '') },
      );
      for await (const page of pages) {
        const keys = (page.Contents ?? []).flatMap(({ Key }) => (Key ? [Key] : []));
        await Promise.all(keys.map((key) => this.delete(key)));
      }
    });
  }

  async saveRenditions(photoId: string, renditions: readonly Rendition[]): Promise<void> {
    await Promise.all(
      renditions.map((rendition) =>
        this.call(() =>
          this.s3.send(
            new PutObjectCommand({
              Bucket: this.bucket,
              Key: renditionKey(photoId, rendition.size),
              Body: rendition.bytes,
              ContentType: 'image/webp',
              CacheControl: RENDITION_CACHE_CONTROL,
            }),
          ),
        ),
      ),
    );
  }

  async deleteRenditions(photoId: string): Promise<void> {
    // The keys are known: no listing (and no s3:ListBucket) needed.
    await Promise.all(
      PHOTO_LIMITS.renditionSizes.map((size) => this.delete(renditionKey(photoId, size))),
    );
  }

  async *renditionIds(storedBefore: Date): AsyncIterable<string> {
    // Keys are listed in order, so the renditions of one photo come together.
    let current: { id: string; newest: number } | undefined;
    const pages = paginateListObjectsV2(
      { client: this.s3 },
      { Bucket: this.bucket, Prefix: RENDITIONS_PREFIX },
    );
    try {
      for await (const page of pages) {
        for (const { Key, LastModified } of page.Contents ?? []) {
          const id = Key?.slice(RENDITIONS_PREFIX.length).split('/')[0];
          if (!id) continue;
          const at = LastModified?.getTime() ?? Date.now();
          if (current?.id === id) {
            current.newest = Math.max(current.newest, at);
            continue;
          }
          if (current && current.newest < storedBefore.getTime()) yield current.id;
          current = { id, newest: at };
        }
      }
    } catch (error) {
      throw new StorageUnavailable({ cause: error });
    }
    if (current && current.newest < storedBefore.getTime()) yield current.id;
  }

  private async delete(Key: string): Promise<void> {
    await this.call(() => this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key })));
  }

  private async call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw new StorageUnavailable({ cause: error });
    }
  }
}
