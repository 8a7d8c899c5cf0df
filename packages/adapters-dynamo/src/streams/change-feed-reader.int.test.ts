import {
  applyMergePatch,
  newUserProfile,
  RecordChanges,
  VersionConflict,
  withSuspension,
  type ChangeEvent,
} from '@userprofile/domain';
import { testUserId } from '@userprofile/domain/testing';
import { DynamoUserProfileRepository } from '../dynamo-user-profile-repository';
import { DynamoChangeEventStore } from '../events/dynamo-change-event-store';
import { createEventTestTable } from '../testing/event-test-table';
import { createTestTable, testClients, testEndpoint } from '../testing/test-table';
import { changeFeedReader } from './change-feed-reader';

const at = (s: number) => new Date(Date.UTC(2026, 4, 1, 12, 0, s));
const owner = (id: string) => ({ kind: 'owner' as const, id });
const admin = { kind: 'admin' as const, id: 'op-1' };

describe('reading the profile table stream into the change feed', () => {
  let tables: { profiles: string; events: string; drop: () => Promise<void> };
  let repo: DynamoUserProfileRepository;
  let store: DynamoChangeEventStore;

  beforeEach(async () => {
    const [profiles, events] = await Promise.all([createTestTable(), createEventTestTable()]);
    tables = {
      profiles: profiles.tableName,
      events: events.tableName,
      drop: async () => void (await Promise.all([profiles.drop(), events.drop()])),
    };
    repo = new DynamoUserProfileRepository(testClients().documentClient, profiles);
    store = new DynamoChangeEventStore(testClients().documentClient, events.tableName, {
      settleMs: 0,
    });
  });
  afterEach(() => tables.drop());

  const reader = (record: (events: readonly ChangeEvent[]) => Promise<unknown>) =>
    changeFeedReader({
      ...testClients(),
      endpoint: testEndpoint(),
      tableName: tables.profiles,
      eventTableName: tables.events,
      record,
    });
  const feed = async () => (await store.feed({ limit: 200 })).items;

  it('records one event per committed change, with its author, and none for a refused write', async () => {
    const id = testUserId(1);
    const v1 = newUserProfile(
      { email: 'a@example.com', firstName: 'A', lastName: 'B' },
      { userId: id, now: at(0) },
    );
    await repo.create(v1, undefined, owner(id));
    const v2 = applyMergePatch(v1, { firstName: 'C' }, at(1));
    await repo.update(v1, v2, admin);
    await expect(
      repo.update(v1, applyMergePatch(v1, { lastName: 'X' }, at(2))),
    ).rejects.toBeInstanceOf(VersionConflict);
    await repo.saveSuspensions(
      undefined,
      withSuspension(undefined, id, { reason: 'SPAM' }, 'op-1', at(3)),
    );
    await repo.delete(v2, owner(id));

    const recordChanges = new RecordChanges(store);
    const seen: ChangeEvent[] = [];
    const reading = await reader((events) => {
      seen.push(...events);
      return recordChanges.execute(events);
    });
    expect(await reading.readOnce()).toBeGreaterThan(0);
    const summary = (events: readonly ChangeEvent[]) =>
      events.map((e) => [e.type, e.version, e.actor.kind]);
    expect(summary(seen.filter((e) => e.changed[0] !== 'suspension'))).toEqual([
      ['profile.created', 1, 'owner'],
      ['profile.updated', 2, 'admin'],
      ['profile.deleted', 3, 'owner'],
    ]);
    expect(summary(seen.filter((e) => e.changed[0] === 'suspension'))).toEqual([
      ['profile.suspended', 1, 'admin'],
    ]);
    // The deletion erased the rest of the history: only the id-only deletion remains.
    expect(summary(await feed())).toEqual([['profile.deleted', 3, 'owner']]);
  });

  it('resumes after a reader killed mid-batch, losing nothing and recording nothing twice', async () => {
    const id = testUserId(2);
    let current = newUserProfile(
      { email: 'b@example.com', firstName: 'A', lastName: 'B' },
      { userId: id, now: at(0) },
    );
    await repo.create(current, undefined, owner(id));
    for (let i = 1; i <= 9; i++) {
      const next = applyMergePatch(current, { firstName: `N${i}` }, at(i));
      await repo.update(current, next, owner(id));
      current = next;
    }
    const recordChanges = new RecordChanges(store);
    const dying = await reader(async (events) => {
      await recordChanges.execute(events.slice(0, 4));
      throw new Error('killed mid-batch');
    });
    await expect(dying.readOnce()).rejects.toThrow('killed mid-batch');
    expect(await feed()).toHaveLength(4);

    const next = await reader((events) => recordChanges.execute(events));
    await next.readOnce();
    expect((await feed()).map((e) => e.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // A later reader starts where the last one finished: nothing is read again.
    let again = 0;
    await (await reader(async (events) => (again += events.length))).readOnce();
    expect(again).toBe(0);
  });
});
