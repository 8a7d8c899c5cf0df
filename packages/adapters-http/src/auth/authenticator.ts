import { OPEN_ACCESS, type Actor } from '@userprofile/domain';
import { Unauthenticated } from './auth-errors';

/** Turns a request's `Authorization` header into the actor the use cases check. */
export interface Authenticator {
  /** @throws Unauthenticated, AuthUnavailable */
  authenticate(authorization: string | undefined): Actor | Promise<Actor>;
}

/** `AUTH_MODE=none`: the seeds' open API; every caller is anonymous and allowed everything. */
export const openAccess: Authenticator = { authenticate: () => OPEN_ACCESS };

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

/** The token of an `Authorization: Bearer <token>` header (RFC 6750 section 2.1). */
export function bearerToken(authorization: string | undefined): string {
  if (authorization === undefined || authorization.trim() === '') {
    throw new Unauthenticated('Sign in first: send Authorization: Bearer <token>.');
  }
  const match = BEARER.exec(authorization);
  if (!match?.[1]) {
    throw new Unauthenticated(
      'The Authorization header must be "Bearer <token>".',
      'invalid_request',
    );
  }
  return match[1];
}
