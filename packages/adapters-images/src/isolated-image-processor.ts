import { fork, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import {
  PhotoInvalid,
  PhotoProcessingBusy,
  type ImageProcessor,
  type Rendition,
  type RenditionOptions,
} from '@userprofile/domain';
import { refuseCostlyStructure } from './jpeg-scans';
import {
  EXIT_CPU,
  EXIT_MEMORY,
  READY,
  type WorkerReply,
  type WorkerRequest,
} from './worker-protocol';

/** Where the worker's code is: `photo-worker.js` beside a bundle, or its source with a loader. */
export interface PhotoWorkerEntry {
  readonly path: string;
  readonly execArgv?: readonly string[];
}

export interface IsolatedImageProcessorOptions {
  /** Asked when a worker is started (never if no photo is committed). */
  readonly worker: () => PhotoWorkerEntry;
  /**
   * CPU time one photo may take (all the worker's threads): past it the file is `PhotoInvalid`,
   * whatever else the machine is doing.
   */
  readonly cpuBudgetMs: number;
  /**
   * Wall-clock time one decode may take (the wait for its turn excluded): past it, with its CPU
   * budget not spent, the machine is too busy, so the answer is `PhotoProcessingBusy` and the
   * upload stays for a retry.
   */
  readonly timeoutMs: number;
  /** Files that may wait while one is decoded; one more is `PhotoProcessingBusy`. */
  readonly maxQueued: number;
  /** How long a file may wait for its turn; longer is `PhotoProcessingBusy`, never decoded. */
  readonly maxWaitMs: number;
  /** The worker's resident-memory ceiling: above it the file is refused. */
  readonly maxRssBytes: number;
}

interface Job extends WorkerRequest {
  resolve(renditions: Rendition[]): void;
  reject(error: unknown): void;
  /** Refuses the job if it is still waiting when it fires. */
  expiry: NodeJS.Timeout;
}

/** How long a new worker may take to load sharp. */
const WORKER_STARTUP_MS = 30_000;

/** Signals that end a decoder that crashed on its input, not one stopped from outside. */
const CRASH_SIGNALS = new Set(['SIGSEGV', 'SIGBUS', 'SIGABRT', 'SIGFPE', 'SIGILL']);

/**
 * Photos decoded in a child process (`photo-worker.ts`), one at a time: the server's own threads,
 * CPU (the worker runs at a lower priority on one libvips thread) and heap stay free for other
 * requests. What the file's structure tells is refused here before it takes a place in the
 * queue; a decode over its CPU-time budget, or whose worker passes its memory ceiling, ends the
 * worker (a new one starts for the next file) and is refused as `PhotoInvalid`; one over its
 * wall-clock limit with CPU to spare (a busy machine) is killed and answered
 * `PhotoProcessingBusy`, as are a full queue and a wait too long. `close()` kills the worker.
 */
export class IsolatedImageProcessor implements ImageProcessor {
  private child: ChildProcess | undefined;
  private ready: Promise<void> | undefined;
  private readonly queue: Job[] = [];
  private running = false;
  private closed = false;

  constructor(private readonly options: IsolatedImageProcessorOptions) {}

  async renditions(file: Uint8Array, options: RenditionOptions): Promise<Rendition[]> {
    refuseCostlyStructure(file, options);
    if (this.closed || this.queue.length >= this.options.maxQueued) {
      throw new PhotoProcessingBusy();
    }
    return new Promise<Rendition[]>((resolve, reject) => {
      const job: Job = {
        file,
        options,
        resolve,
        reject,
        expiry: setTimeout(() => {
          const at = this.queue.indexOf(job);
          if (at < 0) return;
          this.queue.splice(at, 1);
          reject(new PhotoProcessingBusy());
        }, this.options.maxWaitMs),
      };
      this.queue.push(job);
      this.next();
    });
  }

  /** Ends the worker (and with it any decode) and refuses what waits; later files are refused. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) {
      clearTimeout(job.expiry);
      job.reject(new PhotoProcessingBusy());
    }
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** The worker's process id, while one runs (for tests and diagnostics). */
  get workerPid(): number | undefined {
    return this.child?.pid;
  }

  private next(): void {
    if (this.running || this.closed) return;
    const job = this.queue.shift();
    if (!job) return;
    clearTimeout(job.expiry);
    this.running = true;
    const { child, ready } = this.worker();
    child.ref();
    child.channel?.ref();
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      child.off('message', onReply);
      child.off('exit', onExit);
      child.unref();
      child.channel?.unref();
      this.running = false;
      settle();
      this.next();
    };
    const onReply = (reply: WorkerReply) =>
      finish(() => {
        if ('renditions' in reply) job.resolve(reply.renditions);
        else if ('invalid' in reply) job.reject(new PhotoInvalid(reply.invalid));
        else job.reject(new Error(`The photo worker failed: ${reply.failed}`));
      });
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      finish(() => job.reject(this.exitError(timedOut, code, signal)));
    child.on('exit', onExit);
    void ready.then(() => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, this.options.timeoutMs);
      child.on('message', onReply);
      child.send({ file: job.file, options: job.options } satisfies WorkerRequest);
    });
  }

  private exitError(timedOut: boolean, code: number | null, signal: string | null): Error {
    if (this.closed || timedOut) return new PhotoProcessingBusy();
    if (code === EXIT_CPU) {
      return new PhotoInvalid(
        `it takes more than ${this.options.cpuBudgetMs / 1000} s of CPU time to decode`,
      );
    }
    if (code === EXIT_MEMORY) {
      const mb = Math.round(this.options.maxRssBytes / 2 ** 20);
      return new PhotoInvalid(`it needs more than ${mb} MB to decode`);
    }
    if (signal && CRASH_SIGNALS.has(signal)) return new PhotoInvalid(`the decoder crashed on it`);
    return new Error(`The photo worker exited (code ${code}, signal ${signal}).`);
  }

  private worker(): { child: ChildProcess; ready: Promise<void> } {
    if (this.child && this.ready) return { child: this.child, ready: this.ready };
    const entry = this.options.worker();
    const child = fork(entry.path, [], {
      execArgv: [...(entry.execArgv ?? []), '--max-old-space-size=96'],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: {
        ...process.env,
        // Its own small libuv pool: the parent's stays free for crypto and I/O.
        UV_THREADPOOL_SIZE: '1',
        PHOTO_WORKER_MAX_RSS_BYTES: String(this.options.maxRssBytes),
        PHOTO_WORKER_MAX_CPU_MS: String(this.options.cpuBudgetMs),
      },
    });
    // A worker that cannot start ends its job as a failure of ours, not of the file.
    const startup = setTimeout(() => child.kill('SIGKILL'), WORKER_STARTUP_MS);
    try {
      if (child.pid !== undefined) setPriority(child.pid, 10);
    } catch {
      // Where priorities cannot be changed the worker still runs on one thread.
    }
    child.once('exit', () => {
      clearTimeout(startup);
      if (this.child === child) this.child = undefined;
    });
    child.on('error', () => undefined); // reported through 'exit'
    const ready = new Promise<void>((resolve) => {
      const onReady = (message: unknown) => {
        if (message !== READY) return;
        clearTimeout(startup);
        child.off('message', onReady);
        resolve();
      };
      child.on('message', onReady);
    });
    this.child = child;
    this.ready = ready;
    return { child, ready };
  }
}
