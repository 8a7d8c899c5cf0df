import { compileValidatorsSource } from '@userprofile/adapters-json-schema/compile';
import { readSchemasFile } from '@userprofile/adapters-json-schema/schemas-file';
import { resolve } from 'node:path';
import { DEFAULT_CONFIG } from './config';

// The parts of resolveConfig (config.ts) that read and check groups of settings.

/** Readers of context values that note each bad one in `problems` and answer the fallback. */
export function contextReader(context: Record<string, unknown>, problems: string[]) {
  const str = (key: string): string | undefined => {
    const value = context[key];
    return value === undefined || value === null || value === '' ? undefined : String(value);
  };
  const int = (key: string, fallback: number, min: number, max: number): number => {
    const raw = str(key);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${key} must be an integer from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return n;
  };
  const oneOf = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
    const raw = str(key);
    if (raw === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      problems.push(`${key} must be one of ${allowed.join(', ')} (got "${raw}")`);
      return fallback;
    }
    return raw as T;
  };
  return { str, int, oneOf };
}
type Reader = ReturnType<typeof contextReader>;

/** Who signs in and who is told: the e-mail sender, the user pool, the admin group, the mode. */
export function resolveIdentity(str: Reader['str'], oneOf: Reader['oneOf'], problems: string[]) {
  const emailFrom = str('emailFrom');
  if (emailFrom !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(emailFrom)) {
    problems.push(`emailFrom must be an e-mail address (got "${emailFrom}")`);
  }
  const userPoolId = str('userPoolId');
  if (emailFrom !== undefined && userPoolId !== undefined) {
    problems.push(
      'emailFrom applies to the user pool the stack makes: unset userPoolId, or set the sender on your own pool',
    );
  }
  if (userPoolId !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+_[0-9A-Za-z]+$/.test(userPoolId)) {
    problems.push(
      `userPoolId must be a Cognito user pool id such as eu-west-1_AbCdEf123 (got "${userPoolId}")`,
    );
  }
  const adminGroup = str('adminGroup') ?? DEFAULT_CONFIG.adminGroup;
  if (!/^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u.test(adminGroup)) {
    problems.push(
      `adminGroup must be a Cognito group name, 1-128 characters without spaces (got "${adminGroup}")`,
    );
  }
  const authMode = oneOf('authMode', ['jwt', 'none'], DEFAULT_CONFIG.authMode);
  if (authMode === 'none' && userPoolId !== undefined) {
    problems.push('userPoolId needs authMode=jwt');
  }
  return { emailFrom, userPoolId, adminGroup, authMode };
}

/** A code cache made for one runtime version, and that version: both or neither. */
export function resolveCodeCache(str: Reader['str'], problems: string[]) {
  const codeCacheImage = str('codeCacheImage');
  const runtimeVersionArn = str('runtimeVersionArn');
  if (
    codeCacheImage !== undefined &&
    !/^[\w.-]+(?:\/[\w.-]+)+(?::[\w.-]+|@sha256:[0-9a-f]{64})$/.test(codeCacheImage)
  ) {
    problems.push(
      `codeCacheImage must be a container image with a tag or digest, such as public.ecr.aws/lambda/nodejs:24-arm64 (got "${codeCacheImage}")`,
    );
  }
  if (
    runtimeVersionArn !== undefined &&
    !/^arn:aws[a-z-]*:lambda:[a-z0-9-]+::runtime:[0-9a-f]{64}$/.test(runtimeVersionArn)
  ) {
    problems.push(
      `runtimeVersionArn must be a Lambda runtime version ARN, arn:aws:lambda:<region>::runtime:<64 hex digits> (got "${runtimeVersionArn}")`,
    );
  }
  if ((codeCacheImage === undefined) !== (runtimeVersionArn === undefined)) {
    problems.push(
      'codeCacheImage and runtimeVersionArn go together: a code cache is valid only for the runtime that made it, so the functions must be pinned to that runtime version',
    );
  }
  return { codeCacheImage, runtimeVersionArn };
}

/**
 * The schemas file of `profileSchemas` (a path from where the command started), read and
 * compiled now, so that a file that is missing, not JSON or not a valid schema stops the synth
 * with what is wrong with it (ADR 0023); unset: none.
 */
export function resolveProfileSchemas(str: Reader['str'], problems: string[]) {
  const raw = str('profileSchemas');
  if (raw === undefined) return {};
  const profileSchemas = resolve(process.env.INIT_CWD ?? '.', raw);
  try {
    compileValidatorsSource(readSchemasFile(profileSchemas), profileSchemas);
  } catch (error) {
    problems.push(`profileSchemas: ${(error as Error).message}`);
  }
  return { profileSchemas };
}

/** The admin console: whether there is one, where else it is reached, its Hosted UI domain. */
export function resolveAdminConsole(
  str: Reader['str'],
  oneOf: Reader['oneOf'],
  problems: string[],
) {
  const adminConsole =
    oneOf('adminConsole', ['true', 'false'], String(DEFAULT_CONFIG.adminConsole) as 'true') ===
    'true';
  const urls = (str('adminConsoleUrls') ?? '').split(',').map((u) => u.trim());
  const listed = urls.filter(Boolean);
  const adminConsoleUrls = listed.length ? listed : undefined;
  for (const url of listed) {
    if (!/^https:\/\/[a-z0-9.-]+(:\d+)?$/i.test(url)) {
      problems.push(
        `adminConsoleUrls must be https origins such as https://admin.example.com (got "${url}")`,
      );
    }
  }
  const adminConsoleDomainPrefix = str('adminConsoleDomainPrefix');
  if (
    adminConsoleDomainPrefix !== undefined &&
    !/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(adminConsoleDomainPrefix)
  ) {
    problems.push(
      `adminConsoleDomainPrefix must be lower-case letters, digits and inner dashes, at most 63 (got "${adminConsoleDomainPrefix}")`,
    );
  }
  return { adminConsole, adminConsoleUrls, adminConsoleDomainPrefix };
}
