import type { PhotoStore } from '@userprofile/domain';

/**
 * One S3 action on one part of the photo bucket: the uploads (`uploads/*`), the renditions
 * (`photos/*`) or the bucket itself.
 */
export interface BucketAccess {
  readonly action: `s3:${string}`;
  readonly on: 'uploads' | 'renditions' | 'bucket';
  /** For a listing of the bucket: the part it lists, the only `s3:prefix` it may ask for. */
  readonly listing?: 'uploads' | 'renditions';
}

/**
 * What each method of `S3PhotoStore` does to the bucket, declared beside it; the CDK stack grants
 * each function exactly the union for its routes (as it does for the table with
 * `REPOSITORY_ACCESS`).
 */
export const PHOTO_STORE_ACCESS = {
  // A presigned POST is a PutObject made with the signer's own permission.
  uploadTicket: [{ action: 's3:PutObject', on: 'uploads' }],
  // A listing of the upload's own key (its size, or nothing: never S3's 403 for a missing key,
  // which would look like an outage), then GetObject.
  findUpload: [
    { action: 's3:GetObject', on: 'uploads' },
    { action: 's3:ListBucket', on: 'bucket', listing: 'uploads' },
  ],
  deleteUpload: [{ action: 's3:DeleteObject', on: 'uploads' }],
  // The user's uploads are listed, then deleted one by one.
  deleteUploads: [
    { action: 's3:ListBucket', on: 'bucket', listing: 'uploads' },
    { action: 's3:DeleteObject', on: 'uploads' },
  ],
  saveRenditions: [{ action: 's3:PutObject', on: 'renditions' }],
  // The three keys are known: no listing.
  deleteRenditions: [{ action: 's3:DeleteObject', on: 'renditions' }],
  // The orphan sweep lists the renditions.
  renditionIds: [{ action: 's3:ListBucket', on: 'bucket', listing: 'renditions' }],
} as const satisfies Record<keyof PhotoStore, readonly BucketAccess[]>;
