import { createHash } from 'node:crypto';
import { changeEventOf, type ChangeEvent } from '@userprofile/domain';

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

/** The message in a queue message's body, checked; undefined for anything else. */
export function parseWebhookMessage(body: string): WebhookMessage | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed) || typeof parsed.endpointId !== 'string') return undefined;
  const event = changeEventOf(parsed.event);
  return event && { endpointId: parsed.endpointId, event };
}
