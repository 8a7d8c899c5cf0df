import type { JSONWebKeySet } from 'jose';
import type { EnvName } from './environment';

// The authentication part of the configuration: its type and its loader (config.ts calls it).

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

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

export function loadAuthConfig(
  value: (name: EnvName) => string | undefined,
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
  value: (name: EnvName) => string | undefined,
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
