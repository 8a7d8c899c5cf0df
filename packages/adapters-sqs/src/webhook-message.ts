import { createHash } from 'node:crypto';
import {
  CHANGE_EVENT_TYPES,
  isChangeAuthor,
  type ChangeEvent,
  type ChangeEventType,
} from '@userprofile/domain';

/** What one queue message carries: the event, and which endpoint it is for (never its secrets). */
export interface WebhookMessage {
  readonly endpointId: string;
  readonly event: ChangeEvent;
}

/** SQS's limit on a `MessageGroupId` and a `MessageDeduplicationId`. */
export const MAX_ID_LENGTH = 128;

/**
 * An id of at most 128 characters: the value itself when it fits (the usual case: two ids of
 * about 40), else its SHA-256 in hex, so that the same value always gives the same id.
 */
const fitted = (value: string) =>
  value.length <= MAX_ID_LENGTH ? value : createHash('sha256').update(value).digest('hex');

/** Each endpoint gets each profile's events in order; one group per (endpoint, profile). */
export const groupIdOf = (m: WebhookMessage) => fitted(`${m.endpointId}:${m.event.profileId}`);

/** The same event for the same endpoint, sent twice within five minutes, is queued once. */
export const deduplicationIdOf = (m: WebhookMessage) => fitted(`${m.endpointId}:${m.event.id}`);

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The event as the publisher wrote it, every member checked; undefined for anything else. */
function eventOf(value: unknown): ChangeEvent | undefined {
  if (!isRecord(value)) return undefined;
  const { id, type, time, profileId, version, actor, changed } = value;
  if (
    typeof id !== 'string' ||
    !CHANGE_EVENT_TYPES.includes(type as ChangeEventType) ||
    typeof time !== 'string' ||
    typeof profileId !== 'string' ||
    typeof version !== 'number' ||
    !isChangeAuthor(actor) ||
    !Array.isArray(changed) ||
    !changed.every((c) => typeof c === 'string')
  ) {
    return undefined;
  }
  return { id, type: type as ChangeEventType, time, profileId, version, actor, changed };
}

/** The message in a queue message's body, checked; undefined for anything else. */
export function parseWebhookMessage(body: string): WebhookMessage | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed) || typeof parsed.endpointId !== 'string') return undefined;
  const event = eventOf(parsed.event);
  return event && { endpointId: parsed.endpointId, event };
}
