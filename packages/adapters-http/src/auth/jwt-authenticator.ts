import { userActor } from '@userprofile/domain';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import type { AuthConfig } from '../config-auth';
import { AuthUnavailable, Unauthenticated } from './auth-errors';
import { bearerToken, type Authenticator } from './authenticator';

type JwtSettings = Extract<AuthConfig, { mode: 'jwt' }>;

/** Seconds of clock skew allowed on `exp`, `nbf` and `iat`. */
const CLOCK_TOLERANCE_SECONDS = 5;

/**
 * The longest an ID or access token may live and be used: Cognito issues them for 5 minutes to
 * 1 day (1 hour by default). A token issued for longer, or older, is not one of the pool's.
 */
const MAX_TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;

/**
 * The issuer's JWKS over HTTP: fetched at once, while the rest of the process starts (a Lambda's
 * INIT), so that the first request finds the keys there or on their way rather than waiting a
 * round trip to the issuer; cached for 10 minutes, fetched again at most every 30 s when a token
 * names an unknown key (rotation). A failed fetch is not cached, so the next request tries again:
 * the service recovers by itself when the issuer is back.
 */
export function remoteKeys(jwksUrl: string, prefetch = true): JWTVerifyGetKey {
  const jwks = createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: 3000 });
  // A request that comes while this is under way waits for this same fetch, never a second one.
  if (prefetch) jwks.reload().catch(() => undefined);
  return async (header, token) => {
    try {
      return await jwks(header, token);
    } catch (error) {
      // The token names no key we have, or several, or an unusable one: the token is at fault.
      if (
        error instanceof errors.JWKSNoMatchingKey ||
        error instanceof errors.JWKSMultipleMatchingKeys ||
        error instanceof errors.JOSENotSupported
      ) {
        throw error;
      }
      throw new AuthUnavailable({ cause: error });
    }
  };
}

/**
 * The issuer's keys as delivered with the deployment, used without any request to the issuer;
 * a token naming another key (the issuer rotated its keys since) is checked against the remote
 * JWKS, fetched then, with the caching and cool-down of `remoteKeys`.
 */
export function deliveredKeys(jwks: JSONWebKeySet, jwksUrl: string): JWTVerifyGetKey {
  const local = createLocalJWKSet(jwks);
  let remote: JWTVerifyGetKey | undefined;
  return async (header, token) => {
    try {
      return await local(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      remote ??= remoteKeys(jwksUrl, false);
      return remote(header, token);
    }
  };
}

/**
 * Verifies Cognito-style tokens: RS256 only (never `none`, never a symmetric algorithm), issuer,
 * expiry and not-before; an ID token's `aud` or an access token's `client_id` must be one of the
 * app clients; `sub` must be present. Groups come from `cognito:groups`.
 */
export function jwtAuthenticator(settings: JwtSettings, keys: JWTVerifyGetKey): Authenticator {
  return {
    async authenticate(authorization) {
      const token = bearerToken(authorization);
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          issuer: settings.issuer,
          algorithms: ['RS256'],
          requiredClaims: ['sub', 'exp', 'iat', 'token_use'],
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          // Also refuses an `iat` in the future beyond the tolerance.
          maxTokenAge: MAX_TOKEN_LIFETIME_SECONDS,
        }));
      } catch (error) {
        if (error instanceof errors.JOSEError) {
          throw new Unauthenticated(reasonOf(error), 'invalid_token', { cause: error });
        }
        throw error;
      }
      if ((payload.exp ?? 0) - (payload.iat ?? 0) > MAX_TOKEN_LIFETIME_SECONDS) {
        throw new Unauthenticated('The token was issued for longer than a day.', 'invalid_token');
      }
      const client = payload.token_use === 'id' ? payload.aud : payload.client_id;
      const clients = Array.isArray(client) ? client : [client];
      if (payload.token_use !== 'id' && payload.token_use !== 'access') {
        throw new Unauthenticated(
          'The token is neither an ID token nor an access token.',
          'invalid_token',
        );
      }
      if (!clients.some((c) => typeof c === 'string' && settings.audiences.includes(c))) {
        throw new Unauthenticated('The token was issued to another client.', 'invalid_token');
      }
      if (typeof payload.sub !== 'string' || payload.sub.trim() === '') {
        throw new Unauthenticated('The token names no subject.', 'invalid_token');
      }
      const groups = payload['cognito:groups'];
      const admin = Array.isArray(groups) && groups.includes(settings.adminGroup);
      // Only an address the identity provider verified is the user's (Cognito's ID tokens carry
      // `email` and `email_verified`; its access tokens carry neither).
      const verified = payload.email_verified === true || payload.email_verified === 'true';
      const email = verified && typeof payload.email === 'string' ? payload.email : undefined;
      // `iat` (required above), not `auth_time`: a token refreshed after the user changed their
      // address carries the new one and a new `iat`, but the `auth_time` of the old sign-in.
      return userActor(payload.sub, admin, email, new Date((payload.iat ?? 0) * 1000));
    },
  };
}

/** A short reason for the client, from the library's error code; never the token's content. */
function reasonOf(error: InstanceType<typeof errors.JOSEError>): string {
  if (error instanceof errors.JWTExpired) return 'The token has expired.';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return 'The token is not valid yet.';
    if (error.claim === 'iss') return 'The token was issued by another issuer.';
    if (error.claim === 'iat' && error.reason === 'check_failed') {
      return 'The token was issued in the future.';
    }
    return `The token's ${error.claim} claim is missing or not valid.`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return 'The token must be signed with RS256.';
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return 'The token signature is not valid.';
  }
  if (error instanceof errors.JWKSNoMatchingKey) return 'The token was signed by an unknown key.';
  return 'The token is malformed or not valid.';
}
