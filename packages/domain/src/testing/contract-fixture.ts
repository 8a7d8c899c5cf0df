import type { UserProfileRepository } from '../ports';
import { newUserProfile, type UserProfile } from '../user-profile';
import { testUserId } from './fakes';

/** Makes a fresh, empty repository for one test; `dispose` (optional) cleans up after it. */
export type RepositoryFactory = () => Promise<{
  repository: UserProfileRepository;
  dispose?: () => Promise<void>;
}>;

/** A second of 2026-01-01, UTC. */
export const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second));

/**
 * What each part of the repository contract uses: a fresh repository per test (from `factory`),
 * and profiles with ids numbered from `firstId`, so that no two parts share an id.
 */
export function contractFixture(factory: RepositoryFactory, firstId: number) {
  const fixture = {
    repo: undefined as unknown as UserProfileRepository,
    seq: firstId,
    /** A new profile of `email`, created at `createdSecond`. */
    aProfile(email: string, createdSecond = 0): UserProfile {
      fixture.seq += 1;
      return newUserProfile(
        {
          email,
          firstName: 'Ada',
          lastName: `Lovelace ${fixture.seq}`,
          metadata: { n: fixture.seq, deep: { list: [1, 'two', null] } },
        },
        { userId: testUserId(fixture.seq), now: at(createdSecond) },
      );
    },
  };
  let dispose: (() => Promise<void>) | undefined;
  beforeEach(async () => {
    ({ repository: fixture.repo, dispose } = await factory());
  });
  afterEach(async () => {
    await dispose?.();
  });
  return fixture;
}
