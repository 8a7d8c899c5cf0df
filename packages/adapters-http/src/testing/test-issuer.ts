import {
  exportJWK,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export const TEST_CLIENT_ID = 'test-mobile-client';
export const TEST_ADMIN_GROUP = 'admin';

export interface MintOptions {
  /** Claims to add or (with `undefined`) remove. */
  readonly claims?: Record<string, unknown>;
  /** Another key, for a wrong signature. */
  readonly key?: CryptoKey;
  readonly kid?: string;
  /** Seconds from now; negative for an expired token. @default 3600 */
  readonly expiresIn?: number;
}

/**
 * A Cognito-like token issuer for tests: an RSA key whose JWKS is served over plain HTTP on
 * 127.0.0.1, and `mint` for ID or access tokens. `fetches` counts JWKS downloads; `available`
 * set to false makes the JWKS endpoint drop connections, as an unreachable issuer would.
 */
/** The verified e-mail of a test user's ID tokens, by default. */
export const emailOf = (sub: string) => `user-${sub.slice(-6)}@example.com`;

export class TestIssuer {
  fetches = 0;
  available = true;
  /** How long the JWKS endpoint takes to answer, as a distant issuer would. */
  delayMs = 0;

  /** The issuer (`iss`), also the base of the JWKS URL: `http://127.0.0.1:<port>`. */
  url = '';
  private readonly server = createServer((request, response) => {
    if (!this.available) {
      request.socket.destroy();
      return;
    }
    if (request.url !== '/.well-known/jwks.json') {
      response.writeHead(404).end();
      return;
    }
    this.fetches++;
    setTimeout(
      () => response.writeHead(200, { 'content-type': 'application/json' }).end(this.jwks),
      this.delayMs,
    );
  });

  private constructor(
    private readonly privateKey: CryptoKey,
    readonly kid: string,
    /** The JWKS it serves, as JSON. */
    readonly jwks: string,
  ) {}

  static async start(): Promise<TestIssuer> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const kid = `test-${randomUUID()}`;
    const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
    const issuer = new TestIssuer(privateKey, kid, JSON.stringify({ keys: [jwk] }));
    await new Promise<void>((resolve) => issuer.server.listen(0, '127.0.0.1', resolve));
    issuer.url = `http://127.0.0.1:${(issuer.server.address() as AddressInfo).port}`;
    return issuer;
  }

  /** The service's configuration for this issuer. */
  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return {
      AUTH_MODE: 'jwt',
      AUTH_ISSUER: this.url,
      AUTH_AUDIENCE: TEST_CLIENT_ID,
      AUTH_JWKS_URL: `${this.url}/.well-known/jwks.json`,
      AUTH_ADMIN_GROUP: TEST_ADMIN_GROUP,
      ...extra,
    };
  }

  /**
   * An ID token (`aud` = the client) for `sub`, signed RS256 by the issuer's key, carrying the
   * user's verified e-mail as Cognito's do: `emailOf(sub)` unless another is given.
   */
  idToken(
    sub: string,
    options: MintOptions & { groups?: string[]; email?: string } = {},
  ): Promise<string> {
    return this.mint(
      {
        sub,
        aud: TEST_CLIENT_ID,
        token_use: 'id',
        email: options.email ?? emailOf(sub),
        email_verified: true,
        ...(options.groups ? { 'cognito:groups': options.groups } : {}),
        ...options.claims,
      },
      options,
    );
  }

  /** An access token (`client_id` = the client, no `aud`), as Cognito issues them. */
  accessToken(sub: string, options: MintOptions & { groups?: string[] } = {}): Promise<string> {
    return this.mint(
      {
        sub,
        client_id: TEST_CLIENT_ID,
        token_use: 'access',
        scope: 'aws.cognito.signin.user.admin',
        ...(options.groups ? { 'cognito:groups': options.groups } : {}),
        ...options.claims,
      },
      options,
    );
  }

  private mint(claims: Record<string, unknown>, options: MintOptions): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const payload: JWTPayload = {
      iss: this.url,
      iat: now,
      exp: now + (options.expiresIn ?? 3600),
      jti: randomUUID(),
      ...claims,
    };
    for (const [name, value] of Object.entries(payload)) {
      if (value === undefined) delete payload[name];
    }
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? this.kid, typ: 'JWT' })
      .sign(options.key ?? this.privateKey);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
