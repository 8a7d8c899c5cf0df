import { storageDeadline } from '@userprofile/adapters-dynamo';
import { IsolatedImageProcessor, type PhotoWorkerEntry } from '@userprofile/adapters-images';
import { createS3Client, S3PhotoStore } from '@userprofile/adapters-s3';
import { PHOTO_LIMITS } from '@userprofile/domain';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { AppConfig } from './config';
import type { PhotoAdapters } from './photo-module';

/**
 * How photos are decoded: in a worker process, one at a time, each within the domain's CPU-time
 * and memory budget (past them: 422). At most 4 wait, none longer than 2 s, and a decode that a
 * busy machine keeps from finishing within 5.5 s of wall time is stopped; all three are 503
 * PHOTO_PROCESSING_BUSY with Retry-After, the upload kept. So a commit's wait and decode fit in
 * the listening server's 8 s storage budget; a Lambda environment serves one request at a time
 * and never queues.
 */
const PHOTO_DECODING = {
  cpuBudgetMs: PHOTO_LIMITS.decodeCpuMs,
  timeoutMs: 5_500,
  maxRssBytes: PHOTO_LIMITS.decodeMemoryBytes,
  maxQueued: 4,
  maxWaitMs: 2_000,
} as const;

/** The file the bundles' build writes the photo worker to, beside the bundle. */
const PHOTO_WORKER_FILE = 'photo-worker.js';

/**
 * The photo store on S3 and the image processor (sharp in a worker process), for the entries that
 * serve the photo routes (the local server, the photo Lambda). Kept out of `container.ts` so that
 * the other Lambda's bundle holds neither the S3 client nor sharp.
 */
export function photoAdapters(config: AppConfig): PhotoAdapters & {
  readonly processor: IsolatedImageProcessor;
} {
  // One deadline per request for every storage call, the table's and the bucket's alike.
  const s3 = createS3Client({
    endpoint: config.photos.s3Endpoint,
    region: config.region,
    deadline: storageDeadline,
  });
  return {
    store: new S3PhotoStore(s3, config.photos.bucket),
    processor: new IsolatedImageProcessor({ worker: photoWorker, ...PHOTO_DECODING }),
  };
}

/** The bundled worker beside a bundle; from source (tsx, jest), its TypeScript through tsx. */
function photoWorker(): PhotoWorkerEntry {
  const bundled = join(__dirname, PHOTO_WORKER_FILE);
  if (existsSync(bundled)) return { path: bundled };
  // Resolved at run time only (a bundle never gets here): esbuild leaves this require alone.
  const fromSource = createRequire(__filename);
  return {
    path: fromSource.resolve('@userprofile/adapters-images/worker'),
    execArgv: ['--import', fromSource.resolve('tsx')],
  };
}
