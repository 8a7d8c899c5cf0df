/**
 * What the cursors have in common: a versioned prefix and a base64url-encoded JSON object, and
 * the list key (a profile's `<createdAt>#<userId>`) they name a position by.
 */
const LIST_KEY =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export const encodeOpaque = (prefix: string, body: object): string =>
  prefix + Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');

/** The JSON object of a cursor of `prefix`; undefined for anything else. */
export function decodeOpaque(prefix: string, cursor: string): Record<string, unknown> | undefined {
  if (cursor.length > 200 || !cursor.startsWith(prefix)) return undefined;
  const body = cursor.slice(prefix.length);
  if (!BASE64URL.test(body)) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export const isListKey = (value: unknown): value is string =>
  typeof value === 'string' && LIST_KEY.test(value);
