import { DISPLAY_NAME_STYLES, type DisplayNameStyle } from '@userprofile/domain';
import type { JSONWebKeySet } from 'jose';
import { parseCorsOrigins } from './http/cors-policy';
/** Everything the service reads from its environment, validated once at start. */
export interface AppConfig {
  readonly port: number;
  readonly host: string;
  readonly tableName: string;
  /**
   * The change feed's table (events and histories); unset: no change feed in this process (the
   * local server defaults it to `<TABLE_NAME>-events`).
   */
  readonly eventTableName?: string;
  /** Set for DynamoDB Local; unset means AWS's regional endpoint. */
  readonly dynamodbEndpoint?: string;
  readonly region: string;
  /** `'*'` or an explicit list of allowed origins. */
  readonly corsOrigins: '*' | readonly string[];
  readonly logLevel: LogLevel;
  readonly environment: string;
  /** Where the local server's DynamoDB Local keeps its data (and the development signing key). */
  readonly dataDir: string;
  /**
   * The port of the S3 server the local server starts when `photos.s3Endpoint` is unset; 0: any
   * free one (reported at start).
   */
  readonly localS3Port: number;
  readonly auth: AuthConfig;
  readonly photos: PhotoConfig;
  /** The local server's admin console build (ADMIN_CONSOLE_DIR); unset: `../admin-console/dist`. */
  readonly adminConsoleDir?: string;
  /** How public profiles name their owner (PUBLIC_DISPLAY_NAME): `initial` ("Ada L.") by default. */
  readonly publicDisplayName: DisplayNameStyle;
}

/** Where photos are stored and served from. */
interface PhotoConfig {
  /** The bucket of uploads and renditions. */
  readonly bucket: string;
  /**
   * The base URL serving the bucket's `photos/` prefix (the CDN); a profile's rendition URLs are
   * under it.
   */
  readonly publicUrl: string;
  /** An S3-compatible server (the local one); unset means AWS's regional endpoint. */
  readonly s3Endpoint?: string;
}

/** The port of the local server's own S3-compatible server unless S3_PORT names another. */
const LOCAL_S3_PORT = 4569;

/** The local server's own S3 server on `port`. */
export const localS3Endpoint = (port: number) => `http://127.0.0.1:${port}`;

/** Where an S3-compatible server at `endpoint` serves the bucket's renditions. */
const photosUrlOf = (endpoint: string, bucket: string) =>
  `${endpoint.replace(/\/$/, '')}/${bucket}/photos`;

/**
 * The configuration once the local server's own S3 server listens at `endpoint` (on a port
 * chosen at start when S3_PORT is 0): photos are stored there, and renditions served from there
 * unless PHOTOS_URL names another place.
 */
export function withLocalS3(config: AppConfig, endpoint: string): AppConfig {
  const { bucket, publicUrl } = config.photos;
  const planned = photosUrlOf(localS3Endpoint(config.localS3Port), bucket);
  return {
    ...config,
    photos: {
      ...config.photos,
      s3Endpoint: endpoint,
      publicUrl: publicUrl === planned ? photosUrlOf(endpoint, bucket) : publicUrl,
    },
  };
}

/**
 * `none`: the open API of the seeds, everyone allowed everything. `jwt`: Cognito-style bearer
 * tokens, verified against the issuer's JWKS (or, with `devKeys`, a local development key).
 */
export type AuthConfig =
  | { readonly mode: 'none' }
  | {
      readonly mode: 'jwt';
      readonly issuer: string;
      /** App client ids: an ID token's `aud`, an access token's `client_id`. */
      readonly audiences: readonly string[];
      /** Where the public keys are; `undefined` with `devKeys`. */
      readonly jwksUrl?: string;
      /**
       * The issuer's keys as delivered with the deployment (`AUTH_JWKS`): used at once, so a cold
       * start never waits for the issuer; `jwksUrl` is asked only for a key not among them.
       */
      readonly jwks?: JSONWebKeySet;
      /** Members of this `cognito:groups` group are admins. */
      readonly adminGroup: string;
      /** Trust the local development key in `dataDir` instead of a JWKS (local only). */
      readonly devKeys: boolean;
      /**
       * Writes (create, `PUT`, `PATCH`, `DELETE`) one subject may make per minute, counted by
       * this process; 0: no limit. A Lambda counts its own requests only: the deployed stack's
       * WAF rules limit across instances.
       */
      readonly writesPerMinute: number;
    };

/** Issuer and audience of the tokens `pnpm dev-token` mints (`AUTH_DEV_KEYS=true`). */
export const DEV_TOKEN_ISSUER = 'urn:userprofile:local-dev';
export const DEV_TOKEN_AUDIENCE = 'local-dev';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
type LogLevel = (typeof LOG_LEVELS)[number];

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and checks the configuration; throws a `ConfigError` listing every bad value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const value = (name: string) => {
    const raw = env[name]?.trim();
    return raw === undefined || raw === '' ? undefined : raw;
  };

  const portRaw = value('PORT') ?? '3000';
  const port = Number(portRaw);
  if (!/^\d+$/.test(portRaw) || port < 1 || port > 65535) {
    problems.push(`PORT must be an integer from 1 to 65535 (got "${portRaw}")`);
  }

  const s3PortRaw = value('S3_PORT') ?? String(LOCAL_S3_PORT);
  const localS3Port = Number(s3PortRaw);
  if (!/^\d+$/.test(s3PortRaw) || localS3Port > 65535) {
    problems.push(
      `S3_PORT must be an integer from 0 (any free port) to 65535 (got "${s3PortRaw}")`,
    );
  }

  const tableName = value('TABLE_NAME') ?? 'UserProfiles';
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(tableName)) {
    problems.push(`TABLE_NAME must be 3-255 characters of A-Z a-z 0-9 _ . - (got "${tableName}")`);
  }

  const environmentName = value('ENVIRONMENT') ?? 'local';
  const eventTableName =
    value('EVENT_TABLE_NAME') ?? (environmentName === 'local' ? `${tableName}-events` : undefined);
  if (eventTableName !== undefined && !/^[A-Za-z0-9_.-]{3,255}$/.test(eventTableName)) {
    problems.push(
      `EVENT_TABLE_NAME must be 3-255 characters of A-Z a-z 0-9 _ . - (got "${eventTableName}")`,
    );
  }

  const dynamodbEndpoint = value('DYNAMODB_ENDPOINT');
  if (dynamodbEndpoint !== undefined && !/^https?:\/\/[^/\s]+\/?$/.test(dynamodbEndpoint)) {
    problems.push(
      `DYNAMODB_ENDPOINT must be an http(s) URL such as http://127.0.0.1:8000 (got "${dynamodbEndpoint}")`,
    );
  }

  const region = value('AWS_REGION') ?? value('AWS_DEFAULT_REGION') ?? 'us-east-1';
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$|^local$/.test(region)) {
    problems.push(`AWS_REGION must be a region name such as eu-west-1 (got "${region}")`);
  }

  const cors = parseCorsOrigins(value('CORS_ORIGINS') ?? '*');
  const corsOrigins = cors.origins;
  if (!cors.ok) {
    problems.push(
      `CORS_ORIGINS must be * or a comma-separated list of origins such as https://app.example.com (bad: ${cors.bad.join(', ') || 'empty'})`,
    );
  }

  const logLevel = (value('LOG_LEVEL') ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}")`);
  }

  const environment = environmentName;
  const auth = loadAuthConfig(value, environment, problems);
  const photos = loadPhotoConfig(value, environment, localS3Port, problems);
  const publicDisplayName = (value('PUBLIC_DISPLAY_NAME') ?? 'initial') as DisplayNameStyle;
  if (!DISPLAY_NAME_STYLES.includes(publicDisplayName)) {
    problems.push(
      `PUBLIC_DISPLAY_NAME must be one of ${DISPLAY_NAME_STYLES.join(', ')} (got "${publicDisplayName}")`,
    );
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    host: value('HOST') ?? '127.0.0.1',
    tableName,
    ...(eventTableName === undefined ? {} : { eventTableName }),
    dynamodbEndpoint,
    region,
    corsOrigins,
    logLevel,
    environment,
    dataDir: value('DATA_DIR') ?? '.data/dynamodb',
    adminConsoleDir: value('ADMIN_CONSOLE_DIR'),
    localS3Port,
    auth,
    photos,
    publicDisplayName,
  };
}

const HTTP_URL = /^https?:\/\/[^/\s]+(\/[^\s]*)?$/;

function loadPhotoConfig(
  value: (name: string) => string | undefined,
  environment: string,
  localS3Port: number,
  problems: string[],
): PhotoConfig {
  const bucket = value('PHOTOS_BUCKET') ?? 'userprofile-photos';
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    problems.push(`PHOTOS_BUCKET must be an S3 bucket name (got "${bucket}")`);
  }
  const s3Endpoint = value('S3_ENDPOINT');
  if (s3Endpoint !== undefined && !/^https?:\/\/[^/\s]+\/?$/.test(s3Endpoint)) {
    problems.push(
      `S3_ENDPOINT must be an http(s) URL such as http://127.0.0.1:4569 (got "${s3Endpoint}")`,
    );
  }
  let publicUrl = value('PHOTOS_URL');
  if (publicUrl === undefined) {
    if (environment === 'local') {
      publicUrl = photosUrlOf(s3Endpoint ?? localS3Endpoint(localS3Port), bucket);
    } else {
      problems.push(
        'PHOTOS_URL (the base URL serving photo renditions) is required outside ENVIRONMENT=local',
      );
    }
  } else if (!HTTP_URL.test(publicUrl)) {
    problems.push(`PHOTOS_URL must be an http(s) URL (got "${publicUrl}")`);
  }
  return { bucket, publicUrl: publicUrl ?? '', ...(s3Endpoint ? { s3Endpoint } : {}) };
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

function loadAuthConfig(
  value: (name: string) => string | undefined,
  environment: string,
  problems: string[],
): AuthConfig {
  const mode = value('AUTH_MODE') ?? 'none';
  if (mode === 'none') return { mode };
  if (mode !== 'jwt') {
    problems.push(`AUTH_MODE must be none or jwt (got "${mode}")`);
    return { mode: 'none' };
  }
  const devKeysRaw = value('AUTH_DEV_KEYS') ?? 'false';
  if (devKeysRaw !== 'true' && devKeysRaw !== 'false') {
    problems.push(`AUTH_DEV_KEYS must be true or false (got "${devKeysRaw}")`);
  }
  const devKeys = devKeysRaw === 'true';
  if (devKeys && environment !== 'local') {
    problems.push(
      `AUTH_DEV_KEYS=true trusts a development key and is refused outside ENVIRONMENT=local (got "${environment}")`,
    );
  }
  const issuer = value('AUTH_ISSUER') ?? (devKeys ? DEV_TOKEN_ISSUER : undefined);
  if (issuer === undefined) problems.push('AUTH_ISSUER is required when AUTH_MODE=jwt');
  const audienceRaw = value('AUTH_AUDIENCE') ?? (devKeys ? DEV_TOKEN_AUDIENCE : undefined);
  const audiences = (audienceRaw ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  if (audiences.length === 0) {
    problems.push(
      'AUTH_AUDIENCE (the app client ids, comma-separated) is required when AUTH_MODE=jwt',
    );
  }
  const jwksUrl =
    !devKeys && issuer !== undefined ? loadJwksUrl(value, issuer, problems) : undefined;
  const rateRaw = value('RATE_LIMIT_WRITES') ?? '60';
  const writesPerMinute = Number(rateRaw);
  if (!/^\d{1,6}$/.test(rateRaw)) {
    problems.push(
      `RATE_LIMIT_WRITES must be a whole number of writes per subject per minute, 0 for none (got "${rateRaw}")`,
    );
  }
  const jwks = loadJwks(value('AUTH_JWKS'), problems);
  return {
    mode,
    issuer: issuer ?? '',
    audiences,
    jwksUrl,
    ...(jwks ? { jwks } : {}),
    adminGroup: value('AUTH_ADMIN_GROUP') ?? 'admin',
    devKeys,
    writesPerMinute,
  };
}

/** Where the issuer's keys are fetched: https, or plain http on this machine only. */
function loadJwksUrl(
  value: (name: string) => string | undefined,
  issuer: string,
  problems: string[],
): string {
  const jwksUrl = value('AUTH_JWKS_URL') ?? `${issuer.replace(/\/$/, '')}/.well-known/jwks.json`;
  let url: URL | undefined;
  try {
    url = new URL(jwksUrl);
  } catch {
    url = undefined;
  }
  const allowed =
    url !== undefined &&
    (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.test(url.hostname)));
  if (!allowed) {
    problems.push(
      `AUTH_JWKS_URL must be an https URL (plain http only on this machine: localhost, 127.x.x.x, [::1]); got "${jwksUrl}"`,
    );
  }
  return jwksUrl;
}

/** Keys given with the configuration (AUTH_JWKS), which then need no fetch. */
function loadJwks(raw: string | undefined, problems: string[]): JSONWebKeySet | undefined {
  if (raw === undefined) return undefined;
  let jwks: JSONWebKeySet | undefined;
  try {
    jwks = JSON.parse(raw) as JSONWebKeySet;
  } catch {
    jwks = undefined;
  }
  const usable =
    jwks !== undefined &&
    Array.isArray(jwks.keys) &&
    jwks.keys.length > 0 &&
    jwks.keys.every((k) => typeof k === 'object' && k !== null && typeof k.kty === 'string');
  if (usable) return jwks;
  problems.push('AUTH_JWKS must be a JSON Web Key Set, {"keys":[...]} with one key at least');
  return undefined;
}
