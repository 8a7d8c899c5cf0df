export { createS3Client, type S3ClientOptions } from './s3-client';
export { RENDITION_CACHE_CONTROL, RENDITION_MAX_AGE_SECONDS, S3PhotoStore } from './s3-photo-store';
export {
  RENDITIONS_PREFIX,
  UPLOADS_PREFIX,
  renditionKey,
  renditionUrls,
  uploadKey,
} from './photo-keys';
