import { ValidationFailed } from '@userprofile/domain';

/**
 * Cursors of the feed and of a history: a position (a sort key), versioned and base64url-encoded.
 * Anything that does not decode to a key of the expected shape is refused as a validation error.
 */
const PREFIX = 'e1.';
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const TIME = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z`;
const EVENT_ID = String.raw`[0-9a-f-]{36}\.[a-z0-9.]{1,40}`;
/** The feed's position before its first event. */
export const FEED_START = 'START';
export const FEED_KEY = new RegExp(`^(?:${FEED_START}|${TIME}#${EVENT_ID})$`);
export const HISTORY_KEY = new RegExp(`^${TIME}#\\d{10}#${EVENT_ID}$`);

export function encodeEventCursor(key: string): string {
  return PREFIX + Buffer.from(key, 'utf8').toString('base64url');
}

export function decodeEventCursor(cursor: string, field: string, shape: RegExp): string {
  const invalid = () => ValidationFailed.of(field, 'is not a cursor returned by this API');
  if (cursor.length > 300 || !cursor.startsWith(PREFIX)) throw invalid();
  const body = cursor.slice(PREFIX.length);
  if (!BASE64URL.test(body)) throw invalid();
  const key = Buffer.from(body, 'base64url').toString('utf8');
  if (!shape.test(key)) throw invalid();
  return key;
}
