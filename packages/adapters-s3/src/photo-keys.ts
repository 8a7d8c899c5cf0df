import { PHOTO_LIMITS, type RenditionSize } from '@userprofile/domain';

/**
 * Where photos are in the bucket. Uploads: `uploads/<userId>/<uploadId>`, written by clients
 * with a ticket and expiring after a day unless committed. Renditions:
 * `photos/<photoId>/<size>.webp`, public through the CDN, never overwritten (a new photo has a
 * new id), so they may be cached forever. No user id appears in a public URL.
 */
export const UPLOADS_PREFIX = 'uploads/';
export const RENDITIONS_PREFIX = 'photos/';

export const uploadKey = (userId: string, uploadId: string) =>
  `${UPLOADS_PREFIX}${userId}/${uploadId}`;

export const renditionKey = (photoId: string, size: RenditionSize) =>
  `${RENDITIONS_PREFIX}${photoId}/${size}.webp`;

/**
 * The public URL of each rendition, under the base URL that serves the bucket's `photos/` prefix
 * (the CDN, whose origin path is `/photos`: it can never serve an upload).
 */
export function renditionUrls(
  baseUrl: string,
  photoId: string,
): Record<`${RenditionSize}`, string> {
  const base = baseUrl.replace(/\/+$/, '');
  return Object.fromEntries(
    PHOTO_LIMITS.renditionSizes.map((size) => [
      String(size),
      `${base}/${renditionKey(photoId, size).slice(RENDITIONS_PREFIX.length)}`,
    ]),
  ) as Record<`${RenditionSize}`, string>;
}
