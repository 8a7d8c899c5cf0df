import { IDEMPOTENCY_KEY_MAX_LENGTH } from '@userprofile/domain';

/**
 * The request headers the API reads, each declared once: the controllers check requests with
 * these rules and the OpenAPI document states the same (schemas.ts).
 */

/** `Idempotency-Key`: visible ASCII, at most as long as the domain stores, e.g. a UUID. */
export const IDEMPOTENCY_KEY = {
  name: 'Idempotency-Key',
  pattern: new RegExp(`^[\\x21-\\x7e]{1,${IDEMPOTENCY_KEY_MAX_LENGTH}}$`),
  maxLength: IDEMPOTENCY_KEY_MAX_LENGTH,
  rule: `1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} visible ASCII characters`,
} as const;

/** A profile's ETag as served: its version, quoted (`"3"`); up to 15 digits, a safe integer. */
export const ETAG = {
  pattern: /^"([1-9][0-9]{0,14})"$/,
} as const;
