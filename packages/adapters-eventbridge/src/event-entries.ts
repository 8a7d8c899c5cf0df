import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { ChangeEvent } from '@userprofile/domain';

/** PutEvents takes at most 10 entries a call. */
const MAX_ENTRIES_PER_CALL = 10;
/** And at most 256 KiB a call, entries measured as EventBridge measures them. */
export const MAX_BYTES_PER_CALL = 256 * 1024;

/** An event as it goes on the bus: `source` the service, `detail-type` the event's type. */
export interface EventEntry {
  readonly event: ChangeEvent;
  readonly entry: PutEventsRequestEntry;
  readonly bytes: number;
}

const utf8 = (s: string | undefined) => (s === undefined ? 0 : Buffer.byteLength(s, 'utf8'));

/**
 * The size EventBridge counts for an entry: its `Time` (14 bytes when given), `Source`,
 * `DetailType`, `Detail` and each of its `Resources`, in UTF-8 bytes.
 */
export function entrySize(entry: PutEventsRequestEntry): number {
  return (
    (entry.Time ? 14 : 0) +
    utf8(entry.Source) +
    utf8(entry.DetailType) +
    utf8(entry.Detail) +
    (entry.Resources ?? []).reduce((a, r) => a + utf8(r), 0)
  );
}

/** One entry per event, the event itself as the detail (ids, times and field names only). */
export function entryOf(event: ChangeEvent, busName: string, source: string): EventEntry {
  const entry: PutEventsRequestEntry = {
    EventBusName: busName,
    Source: source,
    DetailType: event.type,
    Detail: JSON.stringify(event),
    Time: new Date(event.time),
  };
  return { event, entry, bytes: entrySize(entry) };
}

/**
 * The entries in calls, in order: at most 10 entries and 256 KiB a call.
 * @throws RangeError for an entry over 256 KiB on its own (no call could carry it)
 */
export function inCalls(entries: readonly EventEntry[]): EventEntry[][] {
  const calls: EventEntry[][] = [];
  let current: EventEntry[] = [];
  let bytes = 0;
  for (const e of entries) {
    if (e.bytes > MAX_BYTES_PER_CALL) {
      throw new RangeError(
        `Event ${e.event.id} is ${e.bytes} bytes on the bus, over EventBridge's ${MAX_BYTES_PER_CALL}`,
      );
    }
    if (current.length === MAX_ENTRIES_PER_CALL || bytes + e.bytes > MAX_BYTES_PER_CALL) {
      calls.push(current);
      current = [];
      bytes = 0;
    }
    current.push(e);
    bytes += e.bytes;
  }
  if (current.length > 0) calls.push(current);
  return calls;
}
