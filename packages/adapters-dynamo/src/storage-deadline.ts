import { AsyncLocalStorage } from 'node:async_hooks';

const deadlines = new AsyncLocalStorage<number>();

/**
 * Runs `work` with every DynamoDB attempt made inside it bounded by `deadline` (epoch ms): an
 * attempt that would start after it fails at once with `StorageDeadlineExceeded` (answered as
 * `StorageUnavailable`, a 503), so retries of every layer (the SDK's, transaction conflicts, lost
 * races) stop in time for the caller to answer before its own time runs out.
 */
export function withStorageDeadline<T>(deadline: number, work: () => T): T {
  return deadlines.run(deadline, work);
}

/** The deadline of the storage calls of the current request, if one was set. */
export const storageDeadline = (): number | undefined => deadlines.getStore();

export class StorageDeadlineExceeded extends Error {
  constructor(deadline: number) {
    super(`The storage deadline passed ${Date.now() - deadline} ms ago; no further attempt.`);
    this.name = 'StorageDeadlineExceeded';
  }
}
