import {
  createLocalJWKSet,
  importJWK,
  SignJWT,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
} from 'jose';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../config';
import { DEV_TOKEN_AUDIENCE, DEV_TOKEN_ISSUER } from '../config-auth';

/** The development signing key: made on first use, kept next to the local database. */
export interface DevKey {
  readonly privateJwk: JWK;
  readonly publicJwks: JSONWebKeySet;
}

export const DEV_KEY_FILE = 'dev-signing-key.json';

/** Loads the development key from `dataDir`, or creates it (readable by its owner only). */
export function loadOrCreateDevKey(dataDir: string): DevKey {
  const file = join(dataDir, DEV_KEY_FILE);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as DevKey;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = `dev-${Date.now().toString(36)}`;
  const key: DevKey = {
    privateJwk: { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' },
    publicJwks: {
      keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }],
    },
  };
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(file, JSON.stringify(key), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process made it first: use theirs, so both trust the same key.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateDevKey(dataDir);
    throw error;
  }
  return key;
}

/** The verification side of the development key. */
export function devKeys(dataDir: string): JWTVerifyGetKey {
  return createLocalJWKSet(loadOrCreateDevKey(dataDir).publicJwks);
}

export interface DevTokenRequest {
  /** The subject, which becomes the caller's profile id. */
  readonly sub: string;
  readonly admin?: boolean;
  readonly email?: string;
  /** @default 3600 */
  readonly expiresInSeconds?: number;
}

/**
 * A development ID token signed by the local key, for a server started with AUTH_MODE=jwt and
 * AUTH_DEV_KEYS=true. Refused outside ENVIRONMENT=local: these tokens prove nothing.
 */
export async function mintDevToken(config: AppConfig, request: DevTokenRequest): Promise<string> {
  if (config.environment !== 'local') {
    throw new Error(
      `Development tokens are for a local machine only (ENVIRONMENT=local); this is ENVIRONMENT=${config.environment}.`,
    );
  }
  const { privateJwk } = loadOrCreateDevKey(config.dataDir);
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    token_use: 'id',
    // The local key stands in for the identity provider: the address it signs is verified.
    ...(request.email ? { email: request.email, email_verified: true } : {}),
    ...(request.admin ? { 'cognito:groups': [adminGroupOf(config)] } : {}),
  })
    .setProtectedHeader({ alg: 'RS256', kid: privateJwk.kid, typ: 'JWT' })
    .setIssuer(DEV_TOKEN_ISSUER)
    .setAudience(DEV_TOKEN_AUDIENCE)
    .setSubject(request.sub)
    .setIssuedAt(now)
    .setExpirationTime(now + (request.expiresInSeconds ?? 3600))
    .sign(await importJWK(privateJwk, 'RS256'));
}

function adminGroupOf(config: AppConfig): string {
  return config.auth.mode === 'jwt' ? config.auth.adminGroup : 'admin';
}
