import {
  CreateUserProfile,
  StorageUnavailable,
  DeleteUserProfile,
  EmailAlreadyTaken,
  OPEN_ACCESS,
  ProfileAlreadyExists,
  ProfileNotFound,
  VersionConflict,
  PatchUserProfile,
  RecordChanges,
  withPhoto,
  type ChangeEvent,
} from '@userprofile/domain';
import { randomUUID } from 'node:crypto';
import { DynamoUserProfileRepository } from '../dynamo-user-profile-repository';
import { DynamoChangeEventStore } from '../events/dynamo-change-event-store';
import { createEventTestTable } from '../testing/event-test-table';
import { createTestTable, testClients, testEndpoint } from '../testing/test-table';
import { changeFeedReader } from './change-feed-reader';

const PROFILES = 40;
const RACERS = 5; // conditional writers racing for each version: one wins
const BLIND = 3; // writers without If-Match: each commits, retried on a fresh read
const clock = { now: () => new Date() };

/**
 * The errors that say a write did not commit: its condition failed, so DynamoDB wrote nothing.
 * Anything else (a timeout, a throttled or dropped request) is ambiguous: the write may have
 * committed before the answer was lost, so the database says what happened. A refusal is
 * ambiguous too when the SDK sent the request more than once: the first may have committed (its
 * answer lost to the timeout) and the retry then failed the condition the first had moved.
 */
const REFUSALS = [VersionConflict, EmailAlreadyTaken, ProfileAlreadyExists, ProfileNotFound];
type Outcome<T> = { kind: 'committed'; value: T } | { kind: 'refused' } | { kind: 'ambiguous' };

function outcomeOf(error: unknown): 'refused' | 'ambiguous' {
  if (!REFUSALS.some((type) => error instanceof type)) return 'ambiguous';
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const attempts = (e as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1;
    if (attempts > 1) return 'ambiguous';
  }
  return 'refused';
}

/**
 * The feed's promise under concurrency: hundreds of writes (creates racing for one address,
 * conditional updates racing for one version, blind updates, photo commits, deletes) and exactly
 * one event per committed change reaches the consumer, none for a refused write, versions
 * contiguous and in order per profile.
 */
/**
 * The test's own reads of the truth, retried while the store is unavailable (DynamoDB Local on a
 * loaded machine may not take a connection within the client's second): a read changes nothing,
 * so retrying it cannot change what the test checks.
 */
async function settled<T>(read: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (!(error instanceof StorageUnavailable) || attempt === 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

describe('the change feed under concurrent writes', () => {
  // Stopped even when the test fails midway: a reader left polling slows every later test.
  let stopReader: (() => Promise<void>) | undefined;
  afterEach(() => stopReader?.());

  it('reports exactly one event per committed change, in order per profile', async () => {
    const [profiles, events] = await Promise.all([createTestTable(), createEventTestTable()]);
    const { documentClient } = testClients();
    const repo = new DynamoUserProfileRepository(documentClient, profiles);
    const store = new DynamoChangeEventStore(documentClient, events.tableName, { settleMs: 0 });
    const received: ChangeEvent[] = [];
    let readerErrors = 0;
    const record = new RecordChanges(store, [{ publish: async (e) => void received.push(...e) }]);
    const reader = await changeFeedReader({
      ...testClients(),
      endpoint: testEndpoint(),
      tableName: profiles.tableName,
      eventTableName: events.tableName,
      record: (e) => record.execute(e),
      // A batch that failed is read again: its events may then be received twice.
      onError: () => void readerErrors++,
      tuning: { idleMs: 50, maxIdleMs: 50 },
    });
    reader.start();
    stopReader = () => reader.stop();
    const create = new CreateUserProfile(repo, clock, { newId: randomUUID });
    const patch = new PatchUserProfile(repo, clock);
    const remove = new DeleteUserProfile(repo, {
      deleteRenditions: async () => {},
      deleteUploads: async () => {},
    });
    // Profile id -> its last committed version (the deletion counts as one more): read from the
    // database once its writes are over, whatever the writers were told.
    const committed = new Map<string, number>();
    const photoChanges = new Map<string, number>();
    const counts = { writes: 0, committed: 0, refused: 0, ambiguous: 0 };
    const attempt = async <T>(write: () => Promise<T>): Promise<Outcome<T>> => {
      counts.writes++;
      try {
        const value = await write();
        counts.committed++;
        return { kind: 'committed', value };
      } catch (error) {
        const kind = outcomeOf(error);
        counts[kind]++;
        return { kind };
      }
    };
    // Per profile: its writes that answered success, and those with no clear answer.
    const told = new Map<string, { committed: number; ambiguous: number }>();
    const tally = (id: string, outcomes: readonly Outcome<unknown>[]) => {
      const t = told.get(id) ?? { committed: 0, ambiguous: 0 };
      for (const o of outcomes) {
        if (o.kind === 'committed') t.committed++;
        if (o.kind === 'ambiguous') t.ambiguous++;
      }
      told.set(id, t);
    };

    await Promise.all(
      Array.from({ length: PROFILES }, async (_, n) => {
        const body = { email: `p${n}@example.com`, firstName: 'P', lastName: `${n}` };
        // Two creates race for one address: at most one commits; which one, the address says.
        const made = await Promise.all(
          [1, 2].map(() => attempt(() => create.execute(OPEN_ACCESS, body))),
        );
        const winner = await settled(() => repo.findByEmail(body.email));
        if (!winner) {
          expect(made.map((m) => m.kind)).not.toContain('committed');
          return;
        }
        const id = winner.userId;
        tally(id, made);
        const wins = await Promise.all(
          Array.from({ length: RACERS }, (_, r) =>
            attempt(() => patch.execute(OPEN_ACCESS, id, { lastName: `race-${r}` }, 1)),
          ),
        );
        const blind = await Promise.all(
          Array.from({ length: BLIND }, (_, b) =>
            attempt(() => patch.execute(OPEN_ACCESS, id, { firstName: `blind-${b}` })),
          ),
        );
        // A photo commit, as CommitPhoto writes it.
        const current = (await settled(() => repo.get(id)))!;
        const photo = { id: randomUUID(), updatedAt: new Date().toISOString() };
        const withIt = withPhoto(current, photo, new Date());
        const photoDone = await attempt(() => repo.update(current, withIt, { kind: 'owner', id }));
        tally(id, [...wins, ...blind, photoDone]);
        const now = (await settled(() => repo.get(id)))!;
        const last = now.version;
        committed.set(id, last);
        photoChanges.set(id, now.photo?.id === photo.id ? 1 : 0);
        if (n % 3 === 0) {
          const removed = await attempt(() => remove.execute(OPEN_ACCESS, id));
          tally(id, [removed]);
          if ((await settled(() => repo.get(id))) === undefined) committed.set(id, last + 1);
        }
      }),
    );
    // The database agrees with what the writers were told: every success committed, and no
    // refused write did (only an ambiguous one may have, or not).
    for (const [id, last] of committed) {
      const t = told.get(id)!;
      expect([id, last >= t.committed, last <= t.committed + t.ambiguous]).toEqual([
        id,
        true,
        true,
      ]);
    }
    const { writes, refused, ambiguous } = counts;
    const expected = [...committed.values()].reduce((a, b) => a + b, 0);
    const deadline = Date.now() + 60_000;
    while (new Set(received.map((e) => e.id)).size < expected && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 500)); // anything beyond the expected would show now
    await reader.stop();
    console.log(
      `[proof] ${writes} writes, ${refused} refused, ${ambiguous} ambiguous (resolved by reading the profile), ${expected} committed changes, ${received.length} events received, ${readerErrors} batches read again`,
    );

    // Two creates per profile; the racers, blind writers and photo commit for each one made (under
    // load both creates of a profile may time out uncommitted, and it gets no more writes).
    expect(writes).toBeGreaterThanOrEqual(2 * PROFILES + committed.size * (RACERS + BLIND + 1));
    expect(committed.size).toBeGreaterThan(PROFILES / 2);
    // The races refused one create and all racers but one for each profile made (an ambiguous
    // write was refused or not, as the database says).
    expect(committed.size).toBeGreaterThan(0);
    expect(refused + ambiguous).toBeGreaterThanOrEqual(committed.size * RACERS);
    // An unreachable or overwhelmed database fails loudly rather than proving nothing.
    expect(ambiguous).toBeLessThan(writes / 2);
    // Each event once, in order per profile by first receipt; twice only for a batch read again.
    const unique = [...new Map(received.map((e) => [e.id, e])).values()];
    expect(unique).toHaveLength(expected);
    if (readerErrors === 0) expect(received).toHaveLength(expected);
    for (const [id, last] of committed) {
      const own = unique.filter((e) => e.profileId === id);
      expect(own.map((e) => e.version)).toEqual(Array.from({ length: last }, (_, i) => i + 1));
      expect(own[0]!.type).toBe('profile.created');
      expect(own.filter((e) => e.type === 'profile.photo.changed')).toHaveLength(
        photoChanges.get(id)!,
      );
    }
    await Promise.all([profiles.drop(), events.drop()]);
  }, 240_000);
});
