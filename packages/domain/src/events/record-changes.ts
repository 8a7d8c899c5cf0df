import type { ChangeEvent } from './change-event';
import { PublishIncomplete, type ChangeEventPublisher, type ChangeEventStore } from './event-ports';

/** What recording a batch did: how many events were new (the rest were seen before). */
export interface RecordOutcome {
  readonly added: number;
}

/**
 * Records the events of a batch of committed changes, in their order for each profile (profiles
 * side by side): each kept once in the feed
 * and history (a batch read again adds nothing), a deletion erasing what the history held about
 * the profile, then every event handed to the publishers. Run again after a failure, it does the
 * same work again: delivery is at least once, and consumers dedupe by id.
 */
export class RecordChanges {
  constructor(
    private readonly store: ChangeEventStore,
    private readonly publishers: readonly ChangeEventPublisher[] = [],
  ) {}

  async execute(events: readonly ChangeEvent[]): Promise<RecordOutcome> {
    // Each profile's events in their order; different profiles' side by side.
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
    // Every publisher gets the batch even when another fails: the batch is then read again from
    // the earliest event any of them left unsent, so none misses an event.
    const failures: unknown[] = [];
    for (const publisher of this.publishers) {
      try {
        await publisher.publish(events);
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0 && events.length > 0)
      throw PublishIncomplete.earliest(events, failures);
    return { added: added.reduce((a, b) => a + b, 0) };
  }
}
