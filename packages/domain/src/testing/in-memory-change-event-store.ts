import { ValidationFailed } from '../errors';
import { structuredCopy } from '../profile-rules';
import type { ChangeEvent } from '../events/change-event';
import type {
  ChangeEventStore,
  EventPage,
  FeedRequest,
  HistoryRequest,
} from '../events/event-ports';

const FEED_PREFIX = 'memfeed:';
const HISTORY_PREFIX = 'memhist:';

/** The event store in memory, with the DynamoDB adapter's semantics (the contract suite's proof). */
export class InMemoryChangeEventStore implements ChangeEventStore {
  private readonly recorded: { position: number; event: ChangeEvent }[] = [];
  private readonly ids = new Set<string>();
  private next = 1;

  async append(event: ChangeEvent): Promise<boolean> {
    if (this.ids.has(event.id)) return false;
    this.ids.add(event.id);
    this.recorded.push({ position: this.next++, event: structuredCopy(event) });
    return true;
  }

  async eraseHistory(profileId: string): Promise<void> {
    for (let i = this.recorded.length - 1; i >= 0; i--) {
      const { event } = this.recorded[i]!;
      if (event.profileId === profileId && event.type !== 'profile.deleted') {
        this.recorded.splice(i, 1);
      }
    }
  }

  async feed({ after, types, limit }: FeedRequest): Promise<EventPage> {
    const from = after === undefined ? 0 : position(after, FEED_PREFIX, 'after');
    const page = this.recorded
      .filter((r) => r.position > from && (!types || types.includes(r.event.type)))
      .slice(0, limit);
    const last = page.at(-1)?.position ?? from;
    return { items: page.map((r) => structuredCopy(r.event)), cursor: `${FEED_PREFIX}${last}` };
  }

  async history(profileId: string, { limit, cursor }: HistoryRequest): Promise<EventPage> {
    const before = cursor === undefined ? Infinity : position(cursor, HISTORY_PREFIX, 'cursor');
    const all = this.recorded
      .filter((r) => r.event.profileId === profileId && r.position < before)
      .reverse();
    const page = all.slice(0, limit);
    const items = page.map((r) => structuredCopy(r.event));
    const last = page.at(-1);
    return all.length > limit && last
      ? { items, cursor: `${HISTORY_PREFIX}${last.position}` }
      : { items };
  }
}

function position(cursor: string, prefix: string, field: string): number {
  const n = cursor.startsWith(prefix) ? Number(cursor.slice(prefix.length)) : NaN;
  if (!Number.isSafeInteger(n) || n < 0) {
    throw ValidationFailed.of(field, 'is not a cursor returned by this API');
  }
  return n;
}
