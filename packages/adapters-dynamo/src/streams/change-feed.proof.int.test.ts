import {
  CreateUserProfile,
  DomainError,
  StorageUnavailable,
  DeleteUserProfile,
  OPEN_ACCESS,
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

type Outcome = 'committed' | 'refused' | 'ambiguous';

/**
 * The feed's promise under concurrency: hundreds of writes (creates racing for one address,
 * conditional updates racing for one version, blind updates, photo commits, deletes) and exactly
 * one event per committed change reaches the consumer, none for a refused write, versions
 * contiguous and in order per profile.
 */
describe('the change feed under concurrent writes', () => {
  it('reports exactly one event per committed change, in order per profile', async () => {
    const [profiles, events] = await Promise.all([createTestTable(), createEventTestTable()]);
    const { documentClient } = testClients();
    const repo = new DynamoUserProfileRepository(documentClient, profiles.tableName);
    const store = new DynamoChangeEventStore(documentClient, events.tableName, { settleMs: 0 });
    const received: ChangeEvent[] = [];
    const record = new RecordChanges(store, [{ publish: async (e) => void received.push(...e) }]);
    const reader = await changeFeedReader({
      ...testClients(),
      endpoint: testEndpoint(),
      tableName: profiles.tableName,
      eventTableName: events.tableName,
      record: (e) => record.execute(e),
      tuning: { idleMs: 50 },
    });
    reader.start();
    const create = new CreateUserProfile(repo, clock, { newId: randomUUID });
    const patch = new PatchUserProfile(repo, clock);
    const remove = new DeleteUserProfile(repo, {
      deleteRenditions: async () => {},
      deleteUploads: async () => {},
    });
    const committed = new Map<string, number>(); // profile id -> last committed version
    const photos = new Map<string, Outcome>(); // profile id -> how its photo commit ended
    const tally = { writes: 0, refused: 0, known: 0, ambiguous: 0 };
    /**
     * How a write ended: committed (it answered), refused (a domain refusal: the write was not
     * made) or ambiguous (any other error, a timeout say: it may have committed). Ambiguous ones
     * are settled below by what the table holds, never guessed.
     */
    const attempt = async (write: () => Promise<unknown>): Promise<Outcome> => {
      tally.writes++;
      try {
        await write();
        tally.known++;
        return 'committed';
      } catch (error) {
        if (error instanceof DomainError && !(error instanceof StorageUnavailable)) {
          tally.refused++;
          return 'refused';
        }
        tally.ambiguous++;
        return 'ambiguous';
      }
    };

    await Promise.all(
      Array.from({ length: PROFILES }, async (_, n) => {
        const body = { email: `p${n}@example.com`, firstName: 'P', lastName: `${n}` };
        // Two creates race for one address: exactly one commits (the table says which).
        await Promise.all([1, 2].map(() => attempt(() => create.execute(OPEN_ACCESS, body))));
        const made = await repo.findByEmail(body.email);
        if (!made) return;
        const id = made.userId;
        await Promise.all(
          Array.from({ length: RACERS }, (_, r) =>
            attempt(() => patch.execute(OPEN_ACCESS, id, { lastName: `race-${r}` }, 1)),
          ),
        );
        await Promise.all(
          Array.from({ length: BLIND }, (_, b) =>
            attempt(() => patch.execute(OPEN_ACCESS, id, { firstName: `blind-${b}` })),
          ),
        );
        // A photo commit, as CommitPhoto writes it.
        const current = (await repo.get(id))!;
        const photo = { id: randomUUID(), updatedAt: new Date().toISOString() };
        const withIt = withPhoto(current, photo, new Date());
        photos.set(id, await attempt(() => repo.update(current, withIt, { kind: 'owner', id })));
        // Every committed change is a version: the stored one counts them.
        const stored = (await repo.get(id))!;
        committed.set(id, stored.version);
        if (photos.get(id) === 'ambiguous') {
          photos.set(id, stored.photo?.id === photo.id ? 'committed' : 'refused');
        }
        if (n % 3 === 0) {
          await attempt(() => remove.execute(OPEN_ACCESS, id, stored.version));
          if ((await repo.get(id)) === undefined) committed.set(id, stored.version + 1);
        }
      }),
    );
    const expected = [...committed.values()].reduce((a, b) => a + b, 0);
    const deadline = Date.now() + 60_000;
    while (new Set(received.map((e) => e.id)).size < expected && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 500)); // anything beyond the expected would show now
    await reader.stop();
    console.log(
      `[proof] ${tally.writes} writes: ${tally.known} committed, ${tally.refused} refused, ${tally.ambiguous} ambiguous; ${expected} committed changes, ${received.length} events received`,
    );

    // Every write was one of the three; the races refused at least the losers' writes.
    expect(tally.writes).toBe(PROFILES * (2 + RACERS + BLIND + 1) + Math.ceil(PROFILES / 3));
    expect(tally.known + tally.refused + tally.ambiguous).toBe(tally.writes);
    expect(tally.refused).toBeGreaterThanOrEqual(PROFILES * RACERS - tally.ambiguous);
    // The table's count of committed changes: those known, and at most every ambiguous one.
    expect(expected).toBeGreaterThanOrEqual(tally.known);
    expect(expected).toBeLessThanOrEqual(tally.known + tally.ambiguous);
    // Exactly one event per committed change: none for a refused write, none twice.
    expect(received).toHaveLength(expected);
    expect(new Set(received.map((e) => e.id)).size).toBe(expected);
    for (const [id, last] of committed) {
      const own = received.filter((e) => e.profileId === id);
      expect(own.map((e) => e.version)).toEqual(Array.from({ length: last }, (_, i) => i + 1));
      expect(own[0]!.type).toBe('profile.created');
      expect(own.filter((e) => e.type === 'profile.photo.changed')).toHaveLength(
        photos.get(id) === 'committed' ? 1 : 0,
      );
    }
    await Promise.all([profiles.drop(), events.drop()]);
  }, 240_000);
});
