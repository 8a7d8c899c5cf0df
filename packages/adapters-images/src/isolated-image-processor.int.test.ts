import { PHOTO_LIMITS, PhotoInvalid, PhotoProcessingBusy } from '@userprofile/domain';
import sharp from 'sharp';
import {
  IsolatedImageProcessor,
  type IsolatedImageProcessorOptions,
} from './isolated-image-processor';
import { colourName, phoneJpeg, renditionFacts, scanBombJpeg } from './testing';

/** The worker from its TypeScript source, as the tests and `tsx` run it. */
const worker = { path: require.resolve('./photo-worker.ts'), execArgv: ['--import', 'tsx'] };
const limits = {
  sizes: PHOTO_LIMITS.renditionSizes,
  maxPixels: PHOTO_LIMITS.maxPixels,
  maxJpegScans: PHOTO_LIMITS.maxJpegScans,
};
/** A decode of several seconds: the scan bomb, let through by a limit raised for the test. */
const slow = { file: scanBombJpeg(2_000).bytes, options: { ...limits, maxJpegScans: 100_000 } };

const processors: IsolatedImageProcessor[] = [];
function processor(options: Partial<IsolatedImageProcessorOptions> = {}) {
  const made = new IsolatedImageProcessor({
    worker: () => worker,
    cpuBudgetMs: 10_000,
    timeoutMs: 20_000,
    maxQueued: 4,
    maxWaitMs: 30_000,
    maxRssBytes: 1024 * 2 ** 20,
    ...options,
  });
  processors.push(made);
  return made;
}
afterEach(async () => {
  await Promise.all(processors.splice(0).map((p) => p.close()));
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const elapsedMs = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e6;

describe('IsolatedImageProcessor', () => {
  it('makes the renditions in a child process', async () => {
    const images = processor();
    const renditions = await images.renditions((await phoneJpeg()).bytes, limits);
    expect(images.workerPid).toEqual(expect.any(Number));
    expect(images.workerPid).not.toBe(process.pid);
    expect(renditions.map((r) => r.size)).toEqual([64, 256, 1024]);
    const facts = await renditionFacts(renditions[1]!.bytes);
    expect(facts).toMatchObject({ format: 'webp', width: 256, height: 256, metadata: [] });
    expect([colourName(facts.top), colourName(facts.bottom)]).toEqual(['red', 'blue']);
  });

  it('refuses a scan bomb before it takes a place in the queue or starts a worker', async () => {
    const images = processor();
    await expect(images.renditions(scanBombJpeg(1_000).bytes, limits)).rejects.toThrow(
      /1001 scans, more than 20/,
    );
    expect(images.workerPid).toBeUndefined();
  });

  it('ends a decode over its CPU-time budget, refuses the file, and decodes the next one', async () => {
    // CPU time, however long a busy machine takes to give it (the worker runs at nice 10).
    const images = processor({ cpuBudgetMs: 500, timeoutMs: 50_000 });
    const error = await images.renditions(slow.file, slow.options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PhotoInvalid);
    expect((error as Error).message).toMatch(/takes more than 0.5 s of CPU time to decode/);
    // A new worker for the next file.
    await expect(images.renditions((await phoneJpeg()).bytes, limits)).resolves.toHaveLength(3);
  });

  it('answers PhotoProcessingBusy, not PhotoInvalid, when a decode runs out of wall time with CPU budget to spare', async () => {
    // The worker is stopped mid-decode (SIGSTOP), as a starved process would be: no CPU is spent.
    const images = processor({ timeoutMs: 1_000 });
    await images.renditions((await phoneJpeg()).bytes, limits); // a worker is up
    const decoding = images.renditions(slow.file, slow.options).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 100));
    process.kill(images.workerPid as number, 'SIGSTOP');
    expect(await decoding).toBeInstanceOf(PhotoProcessingBusy);
    await expect(images.renditions((await phoneJpeg()).bytes, limits)).resolves.toHaveLength(3);
  });

  it('refuses a file whose decoding passes the memory ceiling', async () => {
    // An interlaced 6000x6000 PNG is decoded whole before it is scaled: about 108 MB more than
    // an idle worker holds.
    const noise = await sharp({
      create: { width: 6000, height: 6000, channels: 3, background: '#336699' },
    })
      .png({ progressive: true })
      .toBuffer();
    const images = processor({ maxRssBytes: 160 * 2 ** 20 });
    await expect(images.renditions(noise, limits)).rejects.toThrow(
      /needs more than 160 MB to decode/,
    );
    // Within a ceiling it fits, it is decoded.
    const roomy = processor({ maxRssBytes: 1024 * 2 ** 20 });
    await expect(roomy.renditions(noise, limits)).resolves.toHaveLength(3);
  });

  it('answers PhotoProcessingBusy when the queue is full, at once', async () => {
    const images = processor({ maxQueued: 1 });
    const first = images.renditions(slow.file, slow.options).catch((e: unknown) => e);
    const second = images.renditions(slow.file, slow.options).catch((e: unknown) => e);
    const started = process.hrtime.bigint();
    await expect(images.renditions(slow.file, slow.options)).rejects.toBeInstanceOf(
      PhotoProcessingBusy,
    );
    expect(elapsedMs(started)).toBeLessThan(100);
    await images.close();
    expect(await first).toBeInstanceOf(PhotoProcessingBusy);
    expect(await second).toBeInstanceOf(PhotoProcessingBusy);
  });

  it('answers PhotoProcessingBusy for a file that waits longer than its limit, and never decodes it', async () => {
    const images = processor({ maxWaitMs: 300 });
    const first = images.renditions(slow.file, slow.options).catch((e: unknown) => e);
    const started = process.hrtime.bigint();
    const waiting = await images
      .renditions((await phoneJpeg()).bytes, limits)
      .catch((e: unknown) => e);
    expect(waiting).toBeInstanceOf(PhotoProcessingBusy);
    expect(elapsedMs(started)).toBeLessThan(2_000);
    await images.close();
    expect(await first).toBeInstanceOf(PhotoProcessingBusy);
  });

  it('close() ends an in-flight decode within a second', async () => {
    const images = processor();
    const decoding = images.renditions(slow.file, slow.options).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const pid = images.workerPid as number;
    expect(alive(pid)).toBe(true);
    const started = process.hrtime.bigint();
    await images.close();
    expect(await decoding).toBeInstanceOf(PhotoProcessingBusy);
    expect(elapsedMs(started)).toBeLessThan(1_000);
    expect(alive(pid)).toBe(false);
  });
});
