/** Everything the service reads from its environment, validated once at start. */
export interface AppConfig {
  readonly port: number;
  readonly host: string;
  readonly tableName: string;
  /** Set for DynamoDB Local; unset means AWS's regional endpoint. */
  readonly dynamodbEndpoint?: string;
  readonly region: string;
  /** `'*'` or an explicit list of allowed origins. */
  readonly corsOrigins: '*' | readonly string[];
  readonly logLevel: LogLevel;
  readonly environment: string;
  /** Where the local server's DynamoDB Local keeps its data. */
  readonly dataDir: string;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

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

  const tableName = value('TABLE_NAME') ?? 'UserProfiles';
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(tableName)) {
    problems.push(`TABLE_NAME must be 3-255 characters of A-Z a-z 0-9 _ . - (got "${tableName}")`);
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

  const corsRaw = value('CORS_ORIGINS') ?? '*';
  let corsOrigins: '*' | string[] = '*';
  if (corsRaw !== '*') {
    corsOrigins = corsRaw
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean);
    const bad = corsOrigins.filter((o) => !/^https?:\/\/[^/\s]+$/.test(o));
    if (bad.length > 0 || corsOrigins.length === 0) {
      problems.push(
        `CORS_ORIGINS must be * or a comma-separated list of origins such as https://app.example.com (bad: ${bad.join(', ') || 'empty'})`,
      );
    }
  }

  const logLevel = (value('LOG_LEVEL') ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}")`);
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    host: value('HOST') ?? '127.0.0.1',
    tableName,
    dynamodbEndpoint,
    region,
    corsOrigins,
    logLevel,
    environment: value('ENVIRONMENT') ?? 'local',
    dataDir: value('DATA_DIR') ?? '.data/dynamodb',
  };
}
