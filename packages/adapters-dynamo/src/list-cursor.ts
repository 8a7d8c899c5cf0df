import { ValidationFailed } from '@userprofile/domain';
import { decodeOpaque, encodeOpaque, isListKey } from './opaque-cursor';

/**
 * The list cursor: the sort key of the last profile of a page, versioned and base64url-encoded.
 * It names a position, not a shard state, so every shard resumes from it. Anything that does not
 * decode to exactly this shape is refused as a validation error.
 */
const PREFIX = 'v1.';

export function encodeCursor(listKey: string): string {
  return encodeOpaque(PREFIX, { k: listKey });
}

export function decodeCursor(cursor: string): string {
  const body = decodeOpaque(PREFIX, cursor);
  if (!body || Object.keys(body).length !== 1 || !isListKey(body.k)) {
    throw ValidationFailed.of('cursor', 'is not a cursor returned by this API');
  }
  return body.k;
}
