import { ValidationFailed } from '../errors';
import type { ChangeEvent, ChangeEventType } from '../events/change-event';
import type { ChangeEventStore } from '../events/event-ports';
import { testUserId } from './fakes';

/** Makes a fresh, empty store for one test; `dispose` (optional) cleans up after it. */
export type ChangeEventStoreFactory = () => Promise<{
  store: ChangeEventStore;
  dispose?: () => Promise<void>;
}>;

/** An event of profile `n` at `version`, `seconds` after a fixed start. */
export function sampleEvent(
  n: number,
  version: number,
  type: ChangeEventType = version === 1 ? 'profile.created' : 'profile.updated',
): ChangeEvent {
  const profileId = testUserId(n);
  return {
    id: `${profileId}.test.${version}`,
    type,
    time: new Date(Date.UTC(2026, 0, 1) + n * 60_000 + version * 1000).toISOString(),
    profileId,
    version,
    actor: { kind: 'owner', id: profileId },
    changed: type === 'profile.deleted' ? [] : ['firstName'],
  };
}

/** The behaviour every `ChangeEventStore` must have, run against each implementation. */
export function describeChangeEventStoreContract(
  name: string,
  factory: ChangeEventStoreFactory,
): void {
  describe(`ChangeEventStore contract: ${name}`, () => {
    let store: ChangeEventStore;
    let dispose: (() => Promise<void>) | undefined;

    beforeEach(async () => {
      ({ store, dispose } = await factory());
    });
    afterEach(async () => dispose?.());

    const appendAll = async (events: ChangeEvent[]) => {
      for (const e of events) await store.append(e);
    };
    const readAll = async (types?: ChangeEventType[], limit = 2) => {
      const seen: ChangeEvent[] = [];
      let after: string | undefined;
      for (let i = 0; i < 100; i++) {
        const page = await store.feed({ after, limit, ...(types ? { types } : {}) });
        seen.push(...page.items);
        if (page.items.length === 0) break;
        after = page.cursor;
      }
      return seen;
    };

    it('keeps an event appended twice once', async () => {
      expect(await store.append(sampleEvent(1, 1))).toBe(true);
      expect(await store.append(sampleEvent(1, 1))).toBe(false);
      expect((await readAll()).map((e) => e.id)).toEqual([sampleEvent(1, 1).id]);
    });

    it('gives the feed in the order recorded, page by page, without loss or repetition', async () => {
      const events = [sampleEvent(1, 1), sampleEvent(2, 1), sampleEvent(1, 2), sampleEvent(1, 3)];
      await appendAll(events);
      expect(await readAll()).toEqual(events);
    });

    it('answers a cursor that finds nothing new yet, which later finds what came since', async () => {
      await appendAll([sampleEvent(1, 1)]);
      const first = await store.feed({ limit: 10 });
      const empty = await store.feed({ after: first.cursor, limit: 10 });
      expect(empty.items).toEqual([]);
      await appendAll([sampleEvent(1, 2)]);
      const later = await store.feed({ after: empty.cursor, limit: 10 });
      expect(later.items).toEqual([sampleEvent(1, 2)]);
    });

    it('filters the feed by type', async () => {
      await appendAll([sampleEvent(1, 1), sampleEvent(1, 2), sampleEvent(2, 1)]);
      const created = await readAll(['profile.created'], 1);
      expect(created.map((e) => e.id)).toEqual([sampleEvent(1, 1).id, sampleEvent(2, 1).id]);
    });

    it('refuses a cursor it did not make', async () => {
      await expect(store.feed({ after: 'not-a-cursor', limit: 5 })).rejects.toBeInstanceOf(
        ValidationFailed,
      );
      await expect(
        store.history(testUserId(1), { cursor: 'not-a-cursor', limit: 5 }),
      ).rejects.toBeInstanceOf(ValidationFailed);
    });

    it("gives one profile's history newest first, paged", async () => {
      await appendAll([sampleEvent(1, 1), sampleEvent(2, 1), sampleEvent(1, 2), sampleEvent(1, 3)]);
      const first = await store.history(testUserId(1), { limit: 2 });
      expect(first.items.map((e) => e.version)).toEqual([3, 2]);
      const second = await store.history(testUserId(1), { limit: 2, cursor: first.cursor });
      expect(second.items.map((e) => e.version)).toEqual([1]);
      expect(second.cursor).toBeUndefined();
    });

    it("erases a profile's history but its deletion, from the history and the feed", async () => {
      const deleted = sampleEvent(1, 3, 'profile.deleted');
      await appendAll([sampleEvent(1, 1), sampleEvent(2, 1), sampleEvent(1, 2), deleted]);
      await store.eraseHistory(testUserId(1));
      expect((await store.history(testUserId(1), { limit: 10 })).items).toEqual([deleted]);
      expect(await readAll()).toEqual([sampleEvent(2, 1), deleted]);
    });
  });
}
