import type { ChangeEvent } from './change-event';
import { PublishIncomplete, type ChangeEventPublisher, type ChangeEventStore } from './event-ports';

/** What recording a batch did: how many events were new (the rest were seen before). */
export interface RecordOutcome {
  readonly added: number;
}

/**
 * Records the events of a batch of committed changes, in their order for each profile (profiles
 * side by side): each kept once in the feed and history (a batch read again adds nothing), a
 * deletion erasing what the history held about the profile, and, meanwhile, every event handed
 * to the publishers. Run again after a failure, it does the same work again: delivery is at least
 * once, and consumers dedupe by id.
 */
export class RecordChanges {
  constructor(
    private readonly store: ChangeEventStore,
    private readonly publishers: readonly ChangeEventPublisher[] = [],
  ) {}

  async execute(events: readonly ChangeEvent[]): Promise<RecordOutcome> {
    // Publishing does not wait for the recording: a publisher only queues or sends, in the
    // batch's order, and a batch whose recording fails is read and published again (at least
    // once). The event lag is then the publishers' own, not the store's writes first.
    const [added, failures] = await Promise.all([
      this.keep(events).then(
        (count) => ({ count }),
        (error: unknown) => ({ error }),
      ),
      this.publishToAll(events),
    ]);
    if ('error' in added) throw added.error;
    if (failures.length > 0 && events.length > 0)
      throw PublishIncomplete.earliest(events, failures);
    return { added: added.count };
  }

  /** Each event kept once, each profile's in its order; different profiles' side by side. */
  private async keep(events: readonly ChangeEvent[]): Promise<number> {
    const byProfile = new Map<string, ChangeEvent[]>();
    for (const event of events) {
      byProfile.set(event.profileId, [...(byProfile.get(event.profileId) ?? []), event]);
    }
    const added = await Promise.all(
      [...byProfile.values()].map(async (own) => {
        let count = 0;
        for (const event of own) {
          if (await this.store.append(event)) count++;
          if (event.type === 'profile.deleted') await this.store.eraseHistory(event.profileId);
        }
        return count;
      }),
    );
    return added.reduce((a, b) => a + b, 0);
  }

  /**
   * Every publisher gets the batch even when another fails: the batch is then read again from
   * the earliest event any of them left unsent, so none misses an event. Answers the failures.
   */
  private async publishToAll(events: readonly ChangeEvent[]): Promise<unknown[]> {
    const failures: unknown[] = [];
    for (const publisher of this.publishers) {
      try {
        await publisher.publish(events);
      } catch (error) {
        failures.push(error);
      }
    }
    return failures;
  }
}
