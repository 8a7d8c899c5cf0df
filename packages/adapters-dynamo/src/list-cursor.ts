import { ValidationFailed } from '@userprofile/domain';

/**
 * The list cursor: the sort key of the last profile of a page, versioned and base64url-encoded.
 * It names a position, not a shard state, so every shard resumes from it. Anything that does not
 * decode to exactly this shape is refused as a validation error.
 */
const PREFIX = 'v1.';
const LIST_KEY =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function encodeCursor(listKey: string): string {
  return PREFIX + Buffer.from(JSON.stringify({ k: listKey }), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const invalid = () => ValidationFailed.of('cursor', 'is not a cursor returned by this API');
  if (cursor.length > 200 || !cursor.startsWith(PREFIX)) throw invalid();
  const body = cursor.slice(PREFIX.length);
  if (!BASE64URL.test(body)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const keys = parsed && typeof parsed === 'object' ? Object.keys(parsed) : [];
  const k = (parsed as { k?: unknown } | null)?.k;
  if (keys.length !== 1 || typeof k !== 'string' || !LIST_KEY.test(k)) throw invalid();
  return k;
}
