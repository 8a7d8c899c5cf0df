import type { ChangeEvent } from './change-event';
import type { ChangeEventPublisher, ChangeEventStore } from './event-ports';

/** What recording a batch did: how many events were new (the rest were seen before). */
export interface RecordOutcome {
  readonly added: number;
}

/**
 * Records the events of a batch of committed changes, in their order: each kept once in the feed
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
    let added = 0;
    for (const event of events) {
      if (await this.store.append(event)) added++;
      if (event.type === 'profile.deleted') await this.store.eraseHistory(event.profileId);
    }
    for (const publisher of this.publishers) await publisher.publish(events);
    return { added };
  }
}
