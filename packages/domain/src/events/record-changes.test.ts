import { userActor } from '../actor';
import { Forbidden, ProfileNotFound, ValidationFailed } from '../errors';
import { sampleEvent } from '../testing/change-event-store.contract';
import { testUserId } from '../testing/fakes';
import { InMemoryChangeEventStore } from '../testing/in-memory-change-event-store';
import type { ChangeEvent } from './change-event';
import { ReadChangeFeed, ReadProfileHistory } from './read-events';
import { PublishIncomplete, type ChangeEventPublisher } from './event-ports';
import { RecordChanges } from './record-changes';

const admin = userActor('op-1', true);

function setup() {
  const store = new InMemoryChangeEventStore();
  const published: ChangeEvent[][] = [];
  const record = new RecordChanges(store, [
    { publish: async (events) => void published.push([...events]) },
  ]);
  return {
    store,
    published,
    record,
    feed: new ReadChangeFeed(store),
    history: new ReadProfileHistory(store),
  };
}

describe('recording a batch of changes', () => {
  it('keeps each event once when a batch is read again, and publishes it again (at least once)', async () => {
    const { record, feed, published } = setup();
    const batch = [sampleEvent(1, 1), sampleEvent(1, 2)];
    expect(await record.execute(batch)).toEqual({ added: 2 });
    expect(await record.execute(batch)).toEqual({ added: 0 });
    expect((await feed.execute(admin)).items).toEqual(batch);
    expect(published).toEqual([batch, batch]);
  });

  it("erases the profile's history when it is deleted, keeping the id-only deletion", async () => {
    const { record, history } = setup();
    const deleted = sampleEvent(1, 3, 'profile.deleted');
    await record.execute([sampleEvent(1, 1), sampleEvent(1, 2), deleted]);
    expect((await history.execute(admin, testUserId(1))).items).toEqual([deleted]);
  });
});

describe('a publisher that fails', () => {
  const batch = [sampleEvent(1, 1), sampleEvent(2, 1), sampleEvent(1, 2), sampleEvent(3, 1)];
  const failing = (error: Error): ChangeEventPublisher => ({
    publish: () => Promise.reject(error),
  });

  it('still lets every other publisher have the batch, then fails from the earliest unsent event', async () => {
    const store = new InMemoryChangeEventStore();
    const published: ChangeEvent[][] = [];
    const record = new RecordChanges(store, [
      failing(new PublishIncomplete(batch[2]!.id)),
      { publish: async (events) => void published.push([...events]) },
      failing(new PublishIncomplete(batch[1]!.id)),
    ]);
    const error = await record.execute(batch).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PublishIncomplete);
    expect((error as PublishIncomplete).firstUnsent).toBe(batch[1]!.id);
    expect((error as Error).cause).toBeInstanceOf(AggregateError);
    expect(published).toEqual([batch]);
    // The events were kept before publishing: a retry adds nothing.
    expect(await new RecordChanges(store).execute(batch)).toEqual({ added: 0 });
  });

  it('fails from the first event when a publisher could have sent none', async () => {
    const cause = new Error('network');
    const record = new RecordChanges(new InMemoryChangeEventStore(), [
      failing(new PublishIncomplete(batch[3]!.id)),
      failing(cause),
    ]);
    await expect(record.execute(batch)).rejects.toMatchObject({
      firstUnsent: batch[0]!.id,
      cause: expect.any(AggregateError),
    });
    const alone = new RecordChanges(new InMemoryChangeEventStore(), [failing(cause)]);
    await expect(alone.execute(batch)).rejects.toMatchObject({ firstUnsent: batch[0]!.id, cause });
  });

  it('fails from the first event when it names an event not in the batch', async () => {
    const record = new RecordChanges(new InMemoryChangeEventStore(), [
      failing(new PublishIncomplete('no-such-event')),
    ]);
    await expect(record.execute(batch)).rejects.toMatchObject({ firstUnsent: batch[0]!.id });
  });
});

describe('reading the feed and a history', () => {
  it('lets administrators alone read the feed', async () => {
    const { feed } = setup();
    await expect(feed.execute(userActor(testUserId(1)))).rejects.toBeInstanceOf(Forbidden);
  });

  it('refuses an unknown type, a limit out of range and an empty cursor', async () => {
    const { feed } = setup();
    for (const query of [
      { types: ['profile.exploded'] },
      { limit: 0 },
      { limit: 201 },
      { after: '' },
    ]) {
      await expect(feed.execute(admin, query)).rejects.toBeInstanceOf(ValidationFailed);
    }
  });

  it("shows a user their own history, and another's as a profile that does not exist", async () => {
    const { record, history } = setup();
    await record.execute([sampleEvent(1, 1), sampleEvent(2, 1)]);
    const own = await history.execute(userActor(testUserId(1)), testUserId(1));
    expect(own.items.map((e) => e.profileId)).toEqual([testUserId(1)]);
    await expect(history.execute(userActor(testUserId(1)), testUserId(2))).rejects.toBeInstanceOf(
      ProfileNotFound,
    );
  });
});
