import { DISPLAY_NAME_STYLES, type DisplayNameStyle } from '@userprofile/domain';
import { RENDITIONS_PREFIX } from '@userprofile/adapters-s3/keys';
import type { DeclaredSchemas } from '@userprofile/adapters-json-schema/schemas-file';
import { loadAuthConfig, type AuthConfig } from './config-auth';
import type { EnvName } from './environment';
import { parseCorsOrigins } from './http/cors-policy';
import { loadProfileSchemas } from './metadata-schemas';
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
  /**
   * The search items' table (ADR 0025), written with every profile write and read by the search;
   * unset: this process neither writes profiles nor searches (the local server defaults it to
   * `<TABLE_NAME>-search`).
   */
  readonly searchTableName?: string;
  /**
   * The webhook queue (AWS): the stream function queues deliveries there and the webhook function
   * delivers them. The local server ignores it: it delivers in-process.
   */
  readonly webhookQueueUrl?: string;
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
  /** The JSON Schema per metadata tier of PROFILE_SCHEMAS_FILE (the local server's; ADR 0023). */
  readonly profileSchemas?: DeclaredSchemas;
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

/** Where an S3-compatible server at `endpoint` serves the bucket's renditions (path style). */
const photosUrlOf = (endpoint: string, bucket: string) =>
  `${endpoint.replace(/\/$/, '')}/${bucket}/${RENDITIONS_PREFIX.replace(/\/$/, '')}`;

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
  const value = (name: EnvName) => {
    const raw = env[name]?.trim();
    return raw === undefined || raw === '' ? undefined : raw;
  };

  const { port, localS3Port } = loadPorts(value, problems);

  const environmentName = value('ENVIRONMENT') ?? 'local';
  const tables = loadTableNames(value, environmentName, problems);

  const webhookQueueUrl = value('WEBHOOK_QUEUE_URL');
  if (webhookQueueUrl !== undefined && !/^https?:\/\/[^/\s]+\/\S+$/.test(webhookQueueUrl)) {
    problems.push(
      `WEBHOOK_QUEUE_URL must be an SQS queue URL such as https://sqs.eu-west-1.amazonaws.com/123456789012/q.fifo (got "${webhookQueueUrl}")`,
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

  const schemas = loadProfileSchemas(value('PROFILE_SCHEMAS_FILE'), problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    host: value('HOST') ?? '127.0.0.1',
    ...tables,
    ...(webhookQueueUrl === undefined ? {} : { webhookQueueUrl }),
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
    ...schemas,
  };
}

const TABLE_NAME_PATTERN = /^[A-Za-z0-9_.-]{3,255}$/;

/**
 * The profile table, and the change feed's and the search's tables: named after TABLE_NAME
 * locally, and elsewhere none unless given (the CDK stack sets each where a function uses it).
 */
function loadTableNames(
  value: (name: EnvName) => string | undefined,
  environment: string,
  problems: string[],
): Pick<AppConfig, 'tableName' | 'eventTableName' | 'searchTableName'> {
  const tableName = value('TABLE_NAME') ?? 'UserProfiles';
  const local = environment === 'local';
  const named = {
    TABLE_NAME: tableName,
    EVENT_TABLE_NAME: value('EVENT_TABLE_NAME') ?? (local ? `${tableName}-events` : undefined),
    SEARCH_TABLE_NAME: value('SEARCH_TABLE_NAME') ?? (local ? `${tableName}-search` : undefined),
  };
  for (const [name, table] of Object.entries(named)) {
    if (table !== undefined && !TABLE_NAME_PATTERN.test(table)) {
      problems.push(`${name} must be 3-255 characters of A-Z a-z 0-9 _ . - (got "${table}")`);
    }
  }
  const { EVENT_TABLE_NAME: eventTableName, SEARCH_TABLE_NAME: searchTableName } = named;
  return {
    tableName,
    ...(eventTableName === undefined ? {} : { eventTableName }),
    ...(searchTableName === undefined ? {} : { searchTableName }),
  };
}

const HTTP_URL = /^https?:\/\/[^/\s]+(\/[^\s]*)?$/;

function loadPhotoConfig(
  value: (name: EnvName) => string | undefined,
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

/** The local server's port, and its own S3 server's. */
function loadPorts(value: (name: EnvName) => string | undefined, problems: string[]) {
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
  return { port, localS3Port };
}
