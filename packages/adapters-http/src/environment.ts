/**
 * Every environment variable the service reads, by name: `loadConfig` reads these and no other
 * (config.test.ts holds the list to what it reads, and the README's configuration table to the
 * list), and the CDK stack sets the functions' environment by these names (`satisfies
 * ServiceEnvironment`), so a renamed or misspelt variable fails the type check on both sides.
 */
export const ENV_NAMES = [
  'PORT',
  'HOST',
  'TABLE_NAME',
  'EVENT_TABLE_NAME',
  'SEARCH_TABLE_NAME',
  'WEBHOOK_QUEUE_URL',
  'DYNAMODB_ENDPOINT',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'CORS_ORIGINS',
  'LOG_LEVEL',
  'ENVIRONMENT',
  'DATA_DIR',
  'S3_PORT',
  'S3_ENDPOINT',
  'PHOTOS_BUCKET',
  'PHOTOS_URL',
  'PUBLIC_DISPLAY_NAME',
  'PROFILE_SCHEMAS_FILE',
  'ADMIN_CONSOLE_DIR',
  'RATE_LIMIT_WRITES',
  'AUTH_MODE',
  'AUTH_ISSUER',
  'AUTH_AUDIENCE',
  'AUTH_ADMIN_GROUP',
  'AUTH_JWKS',
  'AUTH_JWKS_URL',
  'AUTH_DEV_KEYS',
] as const;

export type EnvName = (typeof ENV_NAMES)[number];

/** An environment of the service: values by the names it reads. */
export type ServiceEnvironment = Partial<Record<EnvName, string>>;
