import type { ChangeEvent, ChangeEventType } from './change-event';

/** A page of events; `cursor` is opaque. */
export interface EventPage {
  readonly items: readonly ChangeEvent[];
  /** Where to go on from: absent on a history's last page; always given by the feed. */
  readonly cursor?: string;
}

export interface FeedRequest {
  /** The `cursor` of an earlier page; from the oldest event kept when absent. */
  readonly after?: string;
  /** Only events of these types (all when absent). */
  readonly types?: readonly ChangeEventType[];
  readonly limit: number;
}

export interface HistoryRequest {
  readonly limit: number;
  readonly cursor?: string;
}

/**
 * Where events are kept for a window of days: the feed in the order they were recorded (the
 * order of commits for each profile) and each profile's history. Appending is idempotent by id,
 * so a change read twice is kept once.
 */
export interface ChangeEventStore {
  /** Keeps the event unless one with its id is kept; answers whether this call added it. */
  append(event: ChangeEvent): Promise<boolean>;

  /** Forgets every event of the profile but its `profile.deleted` ones (erasure). */
  eraseHistory(profileId: string): Promise<void>;

  /**
   * Events recorded after the cursor, oldest first. A malformed or foreign cursor is a
   * `ValidationFailed`; the answer's cursor continues after its last event.
   */
  feed(request: FeedRequest): Promise<EventPage>;

  /** The profile's events, newest first. */
  history(profileId: string, request: HistoryRequest): Promise<EventPage>;
}

/** Somewhere events are sent as they are recorded (webhooks, an event bus). */
export interface ChangeEventPublisher {
  /**
   * At least once, in the order given for each profile.
   * @throws PublishIncomplete naming the first event not sent (those before it were); any other
   * error means none of them may have been.
   */
  publish(events: readonly ChangeEvent[]): Promise<void>;
}

/**
 * A publisher sent the events before `firstUnsent` but not that one (nor, perhaps, those after):
 * the stream resumes from it, and what was sent is not sent again.
 */
export class PublishIncomplete extends Error {
  override readonly name = 'PublishIncomplete';

  constructor(
    /** The id of the first event of the batch not sent. */
    readonly firstUnsent: string,
    options?: { cause?: unknown },
  ) {
    super(`Events from ${firstUnsent} on were not published`, options);
  }

  /**
   * The earliest point of `events` from which any of `failures` (each publisher's) left events
   * unsent: an error other than `PublishIncomplete` means from the first event.
   */
  static earliest(events: readonly ChangeEvent[], failures: readonly unknown[]): PublishIncomplete {
    const at = (failure: unknown) => {
      if (!(failure instanceof PublishIncomplete)) return 0;
      const index = events.findIndex((e) => e.id === failure.firstUnsent);
      return index < 0 ? 0 : index;
    };
    const from = Math.min(...failures.map(at));
    const cause = failures.length === 1 ? failures[0] : new AggregateError(failures);
    return new PublishIncomplete(events[from]!.id, { cause });
  }
}
