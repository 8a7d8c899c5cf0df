import { assertMayAccess, assertMayBrowse, type Actor } from '../actor';
import { ValidationFailed } from '../errors';
import { CHANGE_EVENT_TYPES, type ChangeEventType } from './change-event';
import type { ChangeEventStore, EventPage } from './event-ports';

export const EVENT_PAGE_LIMITS = { default: 50, min: 1, max: 200 } as const;

export interface FeedQuery {
  readonly after?: string;
  readonly types?: readonly string[];
  readonly limit?: number;
}

/** The change feed: every profile's events in the order recorded; administrators only. */
export class ReadChangeFeed {
  constructor(private readonly store: ChangeEventStore) {}

  /** @throws Forbidden, ValidationFailed (limit, types, a cursor not from this feed) */
  async execute(actor: Actor, query: FeedQuery = {}): Promise<EventPage> {
    assertMayBrowse(actor);
    const limit = checkLimit(query.limit);
    const types = query.types === undefined ? undefined : checkTypes(query.types);
    if (query.after !== undefined && query.after.length === 0) {
      throw ValidationFailed.of('after', 'must not be empty');
    }
    return this.store.feed({ limit, ...(types ? { types } : {}), after: query.after });
  }
}

/** One profile's events, newest first: for its owner and administrators. */
export class ReadProfileHistory {
  constructor(private readonly store: ChangeEventStore) {}

  /** @throws ProfileNotFound (another user's history), ValidationFailed */
  async execute(
    actor: Actor,
    profileId: string,
    query: { cursor?: string; limit?: number } = {},
  ): Promise<EventPage> {
    assertMayAccess(actor, profileId);
    const limit = checkLimit(query.limit);
    if (query.cursor !== undefined && query.cursor.length === 0) {
      throw ValidationFailed.of('cursor', 'must not be empty');
    }
    return this.store.history(profileId, { limit, cursor: query.cursor });
  }
}

function checkLimit(limit: number = EVENT_PAGE_LIMITS.default): number {
  if (!Number.isInteger(limit) || limit < EVENT_PAGE_LIMITS.min || limit > EVENT_PAGE_LIMITS.max) {
    throw ValidationFailed.of(
      'limit',
      `must be an integer from ${EVENT_PAGE_LIMITS.min} to ${EVENT_PAGE_LIMITS.max}`,
    );
  }
  return limit;
}

function checkTypes(types: readonly string[]): ChangeEventType[] {
  const unknown = types.filter((t) => !CHANGE_EVENT_TYPES.includes(t as ChangeEventType));
  if (unknown.length > 0 || types.length === 0) {
    throw ValidationFailed.of('types', `must be among ${CHANGE_EVENT_TYPES.join(', ')}`);
  }
  return [...new Set(types as ChangeEventType[])];
}
