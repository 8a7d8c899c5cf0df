import { parseCorsOrigins } from '@userprofile/adapters-http/cors-policy';
import { GUARD_DEFAULTS, resolveGuards, type ApiFunction, type Guards } from './config-guards';

import {
  contextReader,
  resolveAdminConsole,
  resolveCodeCache,
  resolveIdentity,
  resolveProfileSchemas,
} from './config-readers';

export { type ApiFunction } from './config-guards';
/** Everything a deployment can set, with the seeds' defaults. */
export interface UserProfileStackConfig {
  /** Environment name; resource names derive from it. @default 'dev' */
  readonly environment: string;
  /**
   * `on-demand`, or `provisioned` with auto scaling (the seeds'). On demand by default: the seeds'
   * 1-10 / 2-20 units sustain a create every few seconds at the floor (docs/data-model.md).
   * @default 'on-demand'
   */
  readonly billingMode: 'provisioned' | 'on-demand';
  /** Initial read capacity of the table and its index (1-10). @default 1 */
  readonly readCapacity: number;
  /** Initial write capacity of the table and its index (1-10). @default 1 */
  readonly writeCapacity: number;
  /** Auto scaling floor for table and index, reads and writes. @default 2 */
  readonly minCapacity: number;
  /** Auto scaling ceiling. @default 20 */
  readonly maxCapacity: number;
  /** Log retention in days; CloudWatch's allowed values only. @default 7 */
  readonly logRetentionDays: number;
  /** API Gateway steady-state requests per second. @default 1000 */
  readonly throttleRateLimit: number;
  /** API Gateway burst. @default 2000 */
  readonly throttleBurstLimit: number;
  /** Where alarms are e-mailed (the address must confirm the subscription once). */
  readonly alarmEmail?: string;
  /**
   * An HTTPS endpoint subscribed to the alarms as well (a chat webhook, a paging service). With
   * retained data, at least one of `alarmEmail` and `alarmEndpoint` is required.
   */
  readonly alarmEndpoint?: string;
  /** Allowed CORS origins, `*` or a list. @default '*' */
  readonly corsOrigins: '*' | readonly string[];
  /** `retain` keeps the table (and its data) when the stack is deleted. @default 'retain' */
  readonly removalPolicy: 'retain' | 'destroy';
  /**
   * `jwt`: Cognito sign-in, checked by API Gateway and again by the app. `none`: the seeds' open
   * API, for a throw-away environment only. @default 'jwt'
   */
  readonly authMode: 'jwt' | 'none';
  /** An existing user pool to use (its id, e.g. `eu-west-1_AbCdEf123`); unset: the stack makes one. */
  readonly userPoolId?: string;
  /** Members of this Cognito group are admins. @default 'admin' */
  readonly adminGroup: string;
  /**
   * AWS's Lambda base image of the functions' runtime and architecture (e.g.
   * `public.ecr.aws/lambda/nodejs:24.2026.11.20.10-arm64`): when set, each asset carries a V8
   * code cache made inside it. Needs `runtimeVersionArn`, the runtime version that image holds.
   */
  readonly codeCacheImage?: string;
  /** The Lambda runtime version the functions are pinned to; set with `codeCacheImage`. */
  readonly runtimeVersionArn?: string;
  /**
   * A WAF web ACL in front of the API: AWS's common rules and rate limits (about 11 USD a month
   * plus 0.60 USD per million requests). @default true
   */
  readonly waf: boolean;
  /**
   * The address the user pool sends its codes from, through SES (an identity verified in SES in
   * the stack's region); unset: Cognito's own sender, limited to a few dozen messages a day.
   */
  readonly emailFrom?: string;
  /**
   * The SES identity that verifies `emailFrom`: its domain; unset: the address itself is the
   * identity.
   */
  readonly emailIdentity?: string;
  /**
   * Deletion protection of the table and the user pool (with `removalPolicy=retain`). A first
   * deployment goes without it (`pnpm deploy:first`), so that its rollback can delete them;
   * ADR 0015. @default true
   */
  readonly deletionProtection: boolean;
  /**
   * Concurrent executions reserved for each API function and the change feed's stream function
   * (`get=200,list=50`; the others keep their defaults). Their sum must leave 100 of
   * `accountConcurrency` unreserved (AWS's rule).
   * @default create=50, get=150, list=50, update=75, delete=25, photo=50, feed=10
   */
  readonly reservedConcurrency: Readonly<Record<ApiFunction, number>>;
  /** The account's Lambda concurrency quota in the region (alarm at 80 %). @default 1000 */
  readonly accountConcurrency: number;
  /**
   * API Gateway's request quota of the account in the region, which every stage shares: the stage's
   * `throttleRateLimit` may not exceed it. @default 10000
   */
  readonly accountApiRps: number;
  /** WAF: requests one IP address may make a minute before 429. @default 300 */
  readonly wafRequestsPerIp: number;
  /** WAF, with sign-in: writes one token may make a minute before 429. @default 60 */
  readonly wafWritesPerToken: number;
  /**
   * A schemas file: one JSON Schema per metadata tier, which every write must meet. Compiled at
   * synth into the functions' bundles (ajv's standalone code; ADR 0023). Unset: no schemas.
   */
  readonly profileSchemas?: string;
  /**
   * The admin console (with sign-in only): its bucket, CloudFront distribution, Hosted UI domain
   * and Cognito app client. @default true
   */
  readonly adminConsole: boolean;
  /**
   * Origins administrators reach the console at besides its distribution (a custom domain):
   * each is a callback (`<origin>/admin/callback`) and logout URL of its app client.
   */
  readonly adminConsoleUrls?: readonly string[];
  /** The Hosted UI's domain prefix (unique in the region). @default userprofile-<environment>-admin */
  readonly adminConsoleDomainPrefix?: string;
}

/** Every setting a deployment can pass (`-c key=value`), one per field of the configuration. */
export const CONFIG_KEYS = [
  'environment',
  'billingMode',
  'readCapacity',
  'writeCapacity',
  'minCapacity',
  'maxCapacity',
  'logRetentionDays',
  'throttleRateLimit',
  'throttleBurstLimit',
  'alarmEmail',
  'corsOrigins',
  'removalPolicy',
  'authMode',
  'userPoolId',
  'adminGroup',
  'codeCacheImage',
  'runtimeVersionArn',
  'waf',
  'wafRequestsPerIp',
  'wafWritesPerToken',
  'emailFrom',
  'emailIdentity',
  'alarmEndpoint',
  'deletionProtection',
  'reservedConcurrency',
  'accountConcurrency',
  'accountApiRps',
  'profileSchemas',
  'adminConsole',
  'adminConsoleUrls',
  'adminConsoleDomainPrefix',
] as const satisfies readonly (keyof UserProfileStackConfig)[];

// A field without a key fails the type check here, so no setting can be forgotten again.
type Unreadable = Exclude<keyof UserProfileStackConfig, (typeof CONFIG_KEYS)[number]>;
const EVERY_FIELD_HAS_A_KEY: [Unreadable] extends [never] ? true : Unreadable = true;
void EVERY_FIELD_HAS_A_KEY;

/**
 * CDK's own context (feature flags `@aws-cdk/...`, `aws:cdk:...` and `aws-cdk:...` switches, and
 * cached lookups such as `availability-zones:account=...`) is namespaced; ours never is.
 */
const isCdkOwnKey = (key: string) => key.startsWith('@') || key.includes(':');

const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

export const DEFAULT_CONFIG: UserProfileStackConfig = {
  environment: 'dev',
  billingMode: 'on-demand',
  readCapacity: 1,
  writeCapacity: 1,
  minCapacity: 2,
  maxCapacity: 20,
  logRetentionDays: 7,
  throttleRateLimit: 1000,
  throttleBurstLimit: 2000,
  corsOrigins: '*',
  removalPolicy: 'retain',
  authMode: 'jwt',
  adminGroup: 'admin',
  waf: true,
  wafRequestsPerIp: 300,
  wafWritesPerToken: 60,
  adminConsole: true,
  ...GUARD_DEFAULTS,
};

/** A setting's value as `-c key=value` writes it (and the README's table prints it). */
export function formatSetting(value: UserProfileStackConfig[keyof UserProfileStackConfig]): string {
  if (value === undefined) return 'none';
  if (typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(',');
  }
  return String(value);
}

export class StackConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid stack configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'StackConfigError';
  }
}

/**
 * Builds the configuration from CDK context values (strings from `-c key=value`, or JSON from
 * cdk.json), checking every one; throws a `StackConfigError` naming each bad value and each key
 * that is not a setting (a misspelt one would otherwise be ignored without a word).
 */
export function resolveConfig(context: Record<string, unknown>): UserProfileStackConfig {
  const problems = unknownSettings(context);
  const { str, int, oneOf } = contextReader(context, problems);
  const environment = str('environment') ?? DEFAULT_CONFIG.environment;
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(environment)) {
    problems.push(
      `environment must be 1-20 lower-case letters, digits or dashes, starting with a letter (got "${environment}")`,
    );
  }
  const readCapacity = int('readCapacity', DEFAULT_CONFIG.readCapacity, 1, 10);
  const writeCapacity = int('writeCapacity', DEFAULT_CONFIG.writeCapacity, 1, 10);
  const minCapacity = int('minCapacity', DEFAULT_CONFIG.minCapacity, 1, 40_000);
  const maxCapacity = int('maxCapacity', DEFAULT_CONFIG.maxCapacity, 1, 40_000);
  if (maxCapacity < minCapacity)
    problems.push(`maxCapacity (${maxCapacity}) must be at least minCapacity (${minCapacity})`);
  const logRetentionDays = int('logRetentionDays', DEFAULT_CONFIG.logRetentionDays, 1, 3653);
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
    problems.push(
      `logRetentionDays must be one of CloudWatch's values: ${LOG_RETENTION_DAYS.join(', ')} (got ${logRetentionDays})`,
    );
  }
  const throttleRateLimit = int(
    'throttleRateLimit',
    DEFAULT_CONFIG.throttleRateLimit,
    1,
    1_000_000,
  );
  const throttleBurstLimit = int('throttleBurstLimit', DEFAULT_CONFIG.throttleBurstLimit, 1, 5_000);
  const alarmEmail = str('alarmEmail');
  if (alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail)) {
    problems.push(`alarmEmail must be an e-mail address (got "${alarmEmail}")`);
  }
  const corsRaw = str('corsOrigins') ?? '*';
  const { origins: corsOrigins, ok: corsOk } = parseCorsOrigins(corsRaw);
  if (!corsOk) {
    problems.push(
      `corsOrigins must be * or a comma-separated list of origins such as https://app.example.com (got "${corsRaw}")`,
    );
  }
  const { emailFrom, userPoolId, adminGroup, authMode } = resolveIdentity(str, oneOf, problems);
  const { codeCacheImage, runtimeVersionArn } = resolveCodeCache(str, problems);
  const config: Omit<UserProfileStackConfig, keyof Guards> = {
    environment,
    billingMode: oneOf('billingMode', ['provisioned', 'on-demand'], DEFAULT_CONFIG.billingMode),
    readCapacity,
    writeCapacity,
    minCapacity,
    maxCapacity,
    logRetentionDays,
    throttleRateLimit,
    throttleBurstLimit,
    alarmEmail,
    corsOrigins,
    removalPolicy: oneOf('removalPolicy', ['retain', 'destroy'], DEFAULT_CONFIG.removalPolicy),
    authMode,
    userPoolId,
    adminGroup,
    codeCacheImage,
    runtimeVersionArn,
    waf: oneOf('waf', ['true', 'false'], String(DEFAULT_CONFIG.waf) as 'true' | 'false') === 'true',
    // WAF's rate-based rules count from 10 requests per window.
    wafRequestsPerIp: int('wafRequestsPerIp', DEFAULT_CONFIG.wafRequestsPerIp, 10, 2_000_000_000),
    wafWritesPerToken: int(
      'wafWritesPerToken',
      DEFAULT_CONFIG.wafWritesPerToken,
      10,
      2_000_000_000,
    ),
    emailFrom,
    ...resolveProfileSchemas(str, problems),
    ...resolveAdminConsole(str, oneOf, problems),
  };
  const extra = resolveGuards(str, int, problems, config);
  if (problems.length > 0) throw new StackConfigError(problems);
  return { ...config, ...extra };
}

/** A problem for each key of `context` that is not a setting (nor CDK's own). */
function unknownSettings(context: Record<string, unknown>): string[] {
  const known: readonly string[] = CONFIG_KEYS;
  return Object.keys(context)
    .filter((key) => !known.includes(key) && !isCdkOwnKey(key))
    .map((key) => `unknown setting "${key}"; the settings are: ${CONFIG_KEYS.join(', ')}`);
}
