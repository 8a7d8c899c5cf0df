import type { UserProfileStackConfig } from './config';

/**
 * The functions with reserved concurrency: the API's, one per operation (profile-functions.ts
 * `OPERATIONS`), and the change feed's stream function (`feed`), which a burst of API traffic
 * must not starve of instances (one per stream shard).
 */
const API_FUNCTIONS = ['create', 'get', 'list', 'update', 'delete', 'photo', 'feed'] as const;
export type ApiFunction = (typeof API_FUNCTIONS)[number];

/** AWS keeps this many of the account's concurrent executions unreserved. */
const UNRESERVED_MINIMUM = 100;

/** The settings of #27: who is told, what is protected, the quotas. */
export type Guards = Pick<
  UserProfileStackConfig,
  | 'emailIdentity'
  | 'alarmEndpoint'
  | 'deletionProtection'
  | 'reservedConcurrency'
  | 'accountConcurrency'
  | 'accountApiRps'
>;

/** The defaults of `Guards` (`DEFAULT_CONFIG` holds them too). */
export const GUARD_DEFAULTS: Pick<
  Guards,
  'deletionProtection' | 'reservedConcurrency' | 'accountConcurrency' | 'accountApiRps'
> = {
  deletionProtection: true,
  // Sized for a DynamoDB outage, when each request takes ~3 s (3 attempts of 1 s) instead of
  // ~50 ms: 400 in all absorb ~130 req/s of it and leave 600 of the default 1,000 to the rest of
  // the account; at 50 ms the same 400 serve 8,000 req/s (docs/infrastructure.md, Quotas).
  // The feed's 10: a stream function runs one instance per shard, and a table needs hundreds of
  // GB or thousands of writes a second before its stream has ten.
  reservedConcurrency: {
    create: 50,
    get: 150,
    list: 50,
    update: 75,
    delete: 25,
    photo: 50,
    feed: 10,
  },
  accountConcurrency: 1000,
  accountApiRps: 10_000,
};

/** Reads and checks the settings of `Guards`; each problem goes to `problems`. */
export function resolveGuards(
  str: (key: string) => string | undefined,
  int: (key: string, fallback: number, min: number, max: number) => number,
  problems: string[],
  config: Omit<UserProfileStackConfig, keyof Guards>,
): Guards {
  const emailIdentity = str('emailIdentity')?.toLowerCase();
  if (emailIdentity !== undefined) {
    const domain = config.emailFrom?.split('@')[1]?.toLowerCase();
    if (!/^([a-z0-9-]+\.)+[a-z]{2,}$/.test(emailIdentity)) {
      problems.push(`emailIdentity must be a domain such as example.com (got "${emailIdentity}")`);
    } else if (domain === undefined) {
      problems.push('emailIdentity needs emailFrom, the address sent from');
    } else if (domain !== emailIdentity) {
      problems.push(
        `emailIdentity ${emailIdentity} is not the domain of emailFrom ${config.emailFrom ?? ''}: CDK's SES sender needs an address of that very domain`,
      );
    }
  }
  const alarmEndpoint = str('alarmEndpoint');
  if (alarmEndpoint !== undefined && !/^https:\/\/[^\s/]+\.[^\s]+$/.test(alarmEndpoint)) {
    problems.push(`alarmEndpoint must be an https:// URL (got "${alarmEndpoint}")`);
  }
  const protection = str('deletionProtection') ?? String(GUARD_DEFAULTS.deletionProtection);
  if (protection !== 'true' && protection !== 'false') {
    problems.push(`deletionProtection must be one of true, false (got "${protection}")`);
  }
  const accountConcurrency = int(
    'accountConcurrency',
    GUARD_DEFAULTS.accountConcurrency,
    UNRESERVED_MINIMUM,
    1_000_000,
  );
  const reservedConcurrency: Record<ApiFunction, number> = {
    ...GUARD_DEFAULTS.reservedConcurrency,
  };
  for (const entry of (str('reservedConcurrency') ?? '').split(',').filter(Boolean)) {
    const [fn = '', raw = ''] = entry.split('=').map((part) => part.trim());
    const n = Number(raw);
    if (!(API_FUNCTIONS as readonly string[]).includes(fn) || !Number.isInteger(n) || n < 1) {
      problems.push(
        `reservedConcurrency must be function=count pairs, functions ${API_FUNCTIONS.join(', ')}, counts from 1 (got "${entry}")`,
      );
      continue;
    }
    reservedConcurrency[fn as ApiFunction] = n;
  }
  const accountApiRps = int('accountApiRps', GUARD_DEFAULTS.accountApiRps, 1, 1_000_000);
  if (config.throttleRateLimit > accountApiRps) {
    problems.push(
      `throttleRateLimit ${config.throttleRateLimit} is above accountApiRps ${accountApiRps}, API Gateway's quota that every stage in the account and region shares`,
    );
  }
  const reserved = Object.values(reservedConcurrency).reduce((a, b) => a + b, 0);
  if (reserved > accountConcurrency - UNRESERVED_MINIMUM) {
    problems.push(
      `reservedConcurrency reserves ${reserved} of accountConcurrency ${accountConcurrency}: AWS keeps ${UNRESERVED_MINIMUM} unreserved, so at most ${accountConcurrency - UNRESERVED_MINIMUM}`,
    );
  }
  return {
    emailIdentity,
    alarmEndpoint,
    deletionProtection: protection !== 'false',
    reservedConcurrency,
    accountConcurrency,
    accountApiRps,
  };
}
