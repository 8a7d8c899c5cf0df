import { SharpImageProcessor } from '@userprofile/adapters-images';
import { createS3Client, S3PhotoStore } from '@userprofile/adapters-s3';
import type { AppConfig } from './config';
import type { PhotoAdapters } from './photo-module';

/**
 * The photo store on S3 and the image processor on sharp, for the entries that serve the photo
 * routes (the local server, the photo Lambda). Kept out of `container.ts` so that the other
 * Lambda's bundle holds neither the S3 client nor sharp.
 */
export function photoAdapters(config: AppConfig): PhotoAdapters {
  const s3 = createS3Client({ endpoint: config.photos.s3Endpoint, region: config.region });
  return {
    store: new S3PhotoStore(s3, config.photos.bucket),
    processor: new SharpImageProcessor(),
  };
}
