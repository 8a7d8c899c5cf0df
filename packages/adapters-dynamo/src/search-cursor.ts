import { ValidationFailed, type SearchCriteria } from '@userprofile/domain';
import { createHash } from 'node:crypto';
import { decodeOpaque, encodeOpaque, isListKey } from './opaque-cursor';

/**
 * A search's cursor: the list key of the last profile of a page and a fingerprint of the search
 * it belongs to, versioned and base64url-encoded. A cursor of another search (another term,
 * field or filter) or of the list, or anything else, is refused as a validation error.
 */
const PREFIX = 's1.';

const fingerprint = (c: SearchCriteria) =>
  createHash('sha256')
    .update(
      JSON.stringify([
        c.field,
        c.term,
        c.active ?? null,
        c.createdAfter ?? null,
        c.createdBefore ?? null,
      ]),
    )
    .digest('base64url')
    .slice(0, 16);

export function encodeSearchCursor(listKey: string, criteria: SearchCriteria): string {
  return encodeOpaque(PREFIX, { k: listKey, q: fingerprint(criteria) });
}

export function decodeSearchCursor(cursor: string, criteria: SearchCriteria): string {
  const body = decodeOpaque(PREFIX, cursor);
  const { k, q, ...rest } = body ?? {};
  if (!isListKey(k) || q !== fingerprint(criteria) || Object.keys(rest).length > 0) {
    throw ValidationFailed.of('cursor', 'is not a cursor of this search');
  }
  return k;
}
