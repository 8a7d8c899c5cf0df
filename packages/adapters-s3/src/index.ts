export {
  createS3Client,
  StorageDeadlinePassed,
  type S3ClientOptions,
  type StorageDeadline,
} from './s3-client';
export { RENDITION_CACHE_CONTROL, RENDITION_MAX_AGE_SECONDS, S3PhotoStore } from './s3-photo-store';
export {
  RENDITIONS_PREFIX,
  UPLOADS_PREFIX,
  renditionKey,
  renditionUrls,
  uploadKey,
} from './photo-keys';
