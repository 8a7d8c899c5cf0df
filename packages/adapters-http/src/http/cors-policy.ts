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
