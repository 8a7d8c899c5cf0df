import type { PhotoStore } from '@userprofile/domain';

/**
 * One S3 action on one part of the photo bucket: the uploads (`uploads/*`), the renditions
 * (`photos/*`) or the bucket itself.
 */
export interface BucketAccess {
  readonly action: `s3:${string}`;
  readonly on: 'uploads' | 'renditions' | 'bucket';
}

/**
 * What each method of `S3PhotoStore` does to the bucket, declared beside it; the CDK stack grants
 * each function exactly the union for its routes (as it does for the table with
 * `REPOSITORY_ACCESS`).
 */
export const PHOTO_STORE_ACCESS = {
  // A presigned POST is a PutObject made with the signer's own permission.
  uploadTicket: [{ action: 's3:PutObject', on: 'uploads' }],
  // HeadObject and GetObject; without ListBucket S3 answers a missing key with 403, not 404,
  // and an unknown upload would look like an outage.
  findUpload: [
    { action: 's3:GetObject', on: 'uploads' },
    { action: 's3:ListBucket', on: 'bucket' },
  ],
  deleteUpload: [{ action: 's3:DeleteObject', on: 'uploads' }],
  // The user's uploads are listed, then deleted one by one.
  deleteUploads: [
    { action: 's3:ListBucket', on: 'bucket' },
    { action: 's3:DeleteObject', on: 'uploads' },
  ],
  saveRenditions: [{ action: 's3:PutObject', on: 'renditions' }],
  // The three keys are known: no listing.
  deleteRenditions: [{ action: 's3:DeleteObject', on: 'renditions' }],
  // The orphan sweep lists the renditions.
  renditionIds: [{ action: 's3:ListBucket', on: 'bucket' }],
} as const satisfies Record<keyof PhotoStore, readonly BucketAccess[]>;
