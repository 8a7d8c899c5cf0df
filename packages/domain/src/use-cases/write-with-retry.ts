import { VersionConflict } from '../errors';
import type { UserProfileRepository } from '../ports';
import type { UserProfile } from '../user-profile';
import { loadProfile } from './load-profile';

/** How many times a write without a caller's expected version is retried after losing a race. */
const MAX_WRITE_ATTEMPTS = 3;

/**
 * Read-modify-write under optimistic concurrency. With an `expectedVersion` (the caller's
 * If-Match) a concurrent change is the caller's conflict; without one, the write is retried on
 * a fresh read, so a blind update never overwrites a change it did not see.
 */
export async function writeWithRetry<T>(
  repository: UserProfileRepository,
  userId: string,
  expectedVersion: number | undefined,
  write: (current: UserProfile) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const current = await loadProfile(repository, userId);
    if (expectedVersion !== undefined && current.version !== expectedVersion) {
      throw new VersionConflict(userId);
    }
    try {
      return await write(current);
    } catch (error) {
      const retry =
        error instanceof VersionConflict &&
        expectedVersion === undefined &&
        attempt < MAX_WRITE_ATTEMPTS;
      if (!retry) throw error;
    }
  }
}
