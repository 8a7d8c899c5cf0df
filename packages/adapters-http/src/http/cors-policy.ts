/** The CORS policy, shared by the app and the API Gateway preflight of the CDK stack. */
export const CORS_POLICY = {
  methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
  allowedHeaders: [
    'content-type',
    'if-match',
    'if-none-match',
    'idempotency-key',
    'authorization',
    'x-request-id',
  ],
  exposedHeaders: [
    'etag',
    'location',
    'retry-after',
    'x-request-id',
    'idempotent-replayed',
    'www-authenticate',
  ],
  maxAgeSeconds: 600,
} as const;

/**
 * Reads a setting of allowed origins, `*` or a comma-separated list (`https://app.example.com`),
 * as the app's `CORS_ORIGINS` and the stack's `corsOrigins` both take it. `ok` is false when the
 * list is empty or holds something that is no origin (those are in `bad`).
 */
export function parseCorsOrigins(raw: string): {
  origins: '*' | string[];
  ok: boolean;
  bad: string[];
} {
  if (raw.trim() === '*') return { origins: '*', ok: true, bad: [] };
  const origins = raw
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  const bad = origins.filter((o) => !/^https?:\/\/[^/\s]+$/.test(o));
  return { origins, ok: origins.length > 0 && bad.length === 0, bad };
}
