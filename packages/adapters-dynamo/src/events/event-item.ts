import { changeEventOf, type ChangeEvent } from '@userprofile/domain';
import { encodeEventCursor } from './event-cursor';
import { EVENT_TABLE } from './event-table-definition';

/** How an event is stored: its fields, its keys in the history and the feed, and its expiry. */
export interface EventItem extends ChangeEvent {
  pk: string;
  sk: string;
  feedPartition: string;
  feedKey: string;
  ttl: number;
}

export const historyPartition = (profileId: string) => `PROFILE#${profileId}`;

/** A profile's events sort by time, then version (two changes may share a millisecond). */
const historyKey = (event: ChangeEvent) =>
  `${event.time}#${String(event.version).padStart(10, '0')}#${event.id}`;

/** The item of an event recorded at `recordedAt` (epoch ms, unique and rising per writer). */
export function toEventItem(event: ChangeEvent, recordedAt: number): EventItem {
  return {
    pk: historyPartition(event.profileId),
    sk: historyKey(event),
    feedPartition: EVENT_TABLE.feedPartition,
    feedKey: `${new Date(recordedAt).toISOString()}#${event.id}`,
    ttl: Math.ceil(recordedAt / 1000) + EVENT_TABLE.retentionDays * 86_400,
    id: event.id,
    type: event.type,
    time: event.time,
    profileId: event.profileId,
    version: event.version,
    actor: { ...event.actor },
    changed: [...event.changed],
  };
}

/**
 * The cursors at an event recorded at `recordedAt` (epoch ms): the feed's `after` (the events
 * recorded after it) and its profile history's `cursor` (the events before it).
 */
export function cursorsAt(
  event: ChangeEvent,
  recordedAt: number,
): { readonly after: string; readonly cursor: string } {
  const { feedKey, sk } = toEventItem(event, recordedAt);
  return { after: encodeEventCursor(feedKey), cursor: encodeEventCursor(sk) };
}

/** Reads a stored event back, checking what it reads. */
export function toEvent(item: Record<string, unknown>): ChangeEvent {
  const event = changeEventOf(item);
  if (!event) throw new Error(`Stored event ${String(item.id)} is malformed`);
  return event;
}
