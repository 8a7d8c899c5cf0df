/**
 * The child process that decodes photos for `IsolatedImageProcessor`: one file at a time, on
 * one libvips thread, with its own libuv pool, so a costly photo never takes the threads the
 * server needs for tokens and I/O. It watches its own resident memory and exits with
 * `EXIT_MEMORY` above the ceiling it is given; it exits when its parent goes away.
 */
import { PhotoInvalid, type RenditionOptions } from '@userprofile/domain';
import { SharpImageProcessor } from './sharp-image-processor';
import { EXIT_MEMORY, READY, type WorkerReply, type WorkerRequest } from './worker-protocol';

const ceiling = Number(process.env.PHOTO_WORKER_MAX_RSS_BYTES) || Infinity;
const processor = new SharpImageProcessor({ threads: 1 });

setInterval(() => {
  if (process.memoryUsage.rss() > ceiling) process.exit(EXIT_MEMORY);
}, 20).unref();
process.on('disconnect', () => process.exit(0));
process.on('message', (request: WorkerRequest) => {
  void handle(request.file, request.options).then((reply) => process.send?.(reply));
});
// Ready once sharp is loaded: the parent's time budget counts decoding, not starting.
void processor.load().then(() => process.send?.(READY));

async function handle(file: Uint8Array, options: RenditionOptions): Promise<WorkerReply> {
  try {
    return { renditions: await processor.renditions(file, options) };
  } catch (error) {
    return error instanceof PhotoInvalid
      ? { invalid: error.reason }
      : { failed: error instanceof Error ? error.message : String(error) };
  }
}
