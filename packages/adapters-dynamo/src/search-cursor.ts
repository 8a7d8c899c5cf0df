import { ValidationFailed, type SearchCriteria } from '@userprofile/domain';
import { createHash } from 'node:crypto';

/**
 * A search's cursor: the list key of the last profile of a page and a fingerprint of the search
 * it belongs to, versioned and base64url-encoded. A cursor of another search (another term,
 * field or filter) or of the list, or anything else, is refused as a validation error.
 */
const PREFIX = 's1.';
const LIST_KEY =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

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
  const body = JSON.stringify({ k: listKey, q: fingerprint(criteria) });
  return PREFIX + Buffer.from(body, 'utf8').toString('base64url');
}

export function decodeSearchCursor(cursor: string, criteria: SearchCriteria): string {
  const invalid = () => ValidationFailed.of('cursor', 'is not a cursor of this search');
  if (cursor.length > 200 || !cursor.startsWith(PREFIX)) throw invalid();
  const body = cursor.slice(PREFIX.length);
  if (!BASE64URL.test(body)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const { k, q, ...rest } = (parsed ?? {}) as { k?: unknown; q?: unknown };
  if (typeof k !== 'string' || !LIST_KEY.test(k) || q !== fingerprint(criteria)) throw invalid();
  if (Object.keys(rest).length > 0) throw invalid();
  return k;
}
