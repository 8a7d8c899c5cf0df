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
  /** At least once, in the order given for each profile. */
  publish(events: readonly ChangeEvent[]): Promise<void>;
}
