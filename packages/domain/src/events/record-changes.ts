import type { ChangeEvent } from './change-event';
import type { ChangeEventPublisher, ChangeEventStore } from './event-ports';

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
    for (const publisher of this.publishers) await publisher.publish(events);
    return { added: added.reduce((a, b) => a + b, 0) };
  }
}
