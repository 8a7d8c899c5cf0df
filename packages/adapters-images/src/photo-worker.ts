/**
 * The child process that decodes photos for `IsolatedImageProcessor`: one file at a time, on
 * one libvips thread, with its own libuv pool, so a costly photo never takes the threads the
 * server needs for tokens and I/O. It watches its own resident memory and exits with
 * `EXIT_MEMORY` above the ceiling it is given, and with `EXIT_CPU` when one photo has taken more
 * CPU time than its budget (CPU time, not wall time: what the file costs, however busy the
 * machine is); it exits when its parent goes away.
 */
import { PhotoInvalid, type RenditionOptions } from '@userprofile/domain';
import { SharpImageProcessor } from './sharp-image-processor';
import {
  EXIT_CPU,
  EXIT_MEMORY,
  READY,
  type WorkerReply,
  type WorkerRequest,
} from './worker-protocol';

const ceiling = Number(process.env.PHOTO_WORKER_MAX_RSS_BYTES) || Infinity;
const cpuBudgetMs = Number(process.env.PHOTO_WORKER_MAX_CPU_MS) || Infinity;
const processor = new SharpImageProcessor({ threads: 1 });
/** The process's CPU time when the photo in hand arrived. */
let startedAt: NodeJS.CpuUsage | undefined;

setInterval(() => {
  if (process.memoryUsage.rss() > ceiling) process.exit(EXIT_MEMORY);
  if (startedAt) {
    const { user, system } = process.cpuUsage(startedAt);
    if ((user + system) / 1000 > cpuBudgetMs) process.exit(EXIT_CPU);
  }
}, 20).unref();
process.on('disconnect', () => process.exit(0));
process.on('message', (request: WorkerRequest) => {
  startedAt = process.cpuUsage();
  void handle(request.file, request.options).then((reply) => {
    startedAt = undefined;
    process.send?.(reply);
  });
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
