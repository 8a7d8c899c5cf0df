import { createLocalJWKSet, type JSONWebKeySet, type JWK, type JWTVerifyGetKey } from 'jose';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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
