import { generateKeyPair, SignJWT, exportJWK } from 'jose';
import { ADA, ADA_EMAIL, BOB, expectUnauthenticated, jwtAppSuite } from '../testing/jwt-app';
import { expectProblem } from '../testing/suite-context';
import { newUser } from '../testing/test-app';
import { TEST_ADMIN_GROUP } from '../testing/test-issuer';

// Tokens the edge refuses, and where its keys come from.
const t = jwtAppSuite(50);
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('a refused token', () => {
  it('missing: 401 with a bare Bearer challenge, before the body is even looked at', async () => {
    expectUnauthenticated(await t.app.inject({ method: 'GET', url: '/users/me' }));
    expectUnauthenticated(
      await t.app.inject({
        method: 'POST',
        url: '/users',
        headers: { 'content-type': 'text/plain' },
        payload: 'x',
      }),
    );
  });

  it('in another scheme or malformed: 401 invalid_request', async () => {
    for (const authorization of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer a b', 'token']) {
      expectUnauthenticated(
        await t.app.inject({ method: 'GET', url: '/users/me', headers: { authorization } }),
        'invalid_request',
      );
    }
  });

  it.each<[string, () => Promise<string>, RegExp]>([
    ['expired', () => t.issuer.idToken(ADA, { email: ADA_EMAIL, expiresIn: -60 }), /expired/],
    [
      'issued in the future, beyond the clock skew',
      () =>
        t.issuer.idToken(ADA, {
          email: ADA_EMAIL,
          claims: { iat: Math.floor(Date.now() / 1000) + 600 },
        }),
      /issued in the future/,
    ],
    [
      'older than a day, though not expired',
      () =>
        t.issuer.idToken(ADA, {
          email: ADA_EMAIL,
          claims: { iat: Math.floor(Date.now() / 1000) - 2 * 86_400 },
        }),
      /expired/,
    ],
    [
      'issued for ten years',
      () => t.issuer.idToken(ADA, { email: ADA_EMAIL, expiresIn: 10 * 365 * 86_400 }),
      /longer than a day/,
    ],
    [
      'without an issue time',
      () => t.issuer.idToken(ADA, { email: ADA_EMAIL, claims: { iat: undefined } }),
      /iat/,
    ],
    [
      'not yet valid',
      () =>
        t.issuer.idToken(ADA, {
          email: ADA_EMAIL,
          claims: { nbf: Math.floor(Date.now() / 1000) + 600 },
        }),
      /not valid yet/,
    ],
    [
      'from another issuer',
      () =>
        t.issuer.idToken(ADA, {
          email: ADA_EMAIL,
          claims: { iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_other' },
        }),
      /another issuer/,
    ],
    [
      'an ID token for another client',
      () => t.issuer.idToken(ADA, { email: ADA_EMAIL, claims: { aud: 'another-client' } }),
      /another client/,
    ],
    [
      'an access token for another client',
      () => t.issuer.accessToken(ADA, { claims: { client_id: 'another-client' } }),
      /another client/,
    ],
    [
      'an access token carrying the client only in aud',
      () =>
        t.issuer.accessToken(ADA, { claims: { client_id: undefined, aud: 'test-mobile-client' } }),
      /another client/,
    ],
    [
      'of another token_use',
      () => t.issuer.idToken(ADA, { email: ADA_EMAIL, claims: { token_use: 'refresh' } }),
      /neither/,
    ],
    [
      'without token_use',
      () => t.issuer.idToken(ADA, { email: ADA_EMAIL, claims: { token_use: undefined } }),
      /token_use/,
    ],
    [
      'without a subject',
      () => t.issuer.idToken(ADA, { email: ADA_EMAIL, claims: { sub: undefined } }),
      /sub/,
    ],
    [
      'with an empty subject',
      () => t.issuer.idToken(ADA, { email: ADA_EMAIL, claims: { sub: ' ' } }),
      /subject/,
    ],
    [
      'without an expiry',
      () => t.issuer.idToken(ADA, { email: ADA_EMAIL, claims: { exp: undefined } }),
      /exp/,
    ],
    [
      'signed by another key under the issuer’s kid',
      async () =>
        t.issuer.idToken(ADA, {
          email: ADA_EMAIL,
          key: (await generateKeyPair('RS256')).privateKey,
        }),
      /signature/,
    ],
    [
      'signed by a key the issuer does not have',
      async () =>
        t.issuer.idToken(ADA, {
          email: ADA_EMAIL,
          key: (await generateKeyPair('RS256')).privateKey,
          kid: 'unknown',
        }),
      /unknown key/,
    ],
    [
      'with alg none',
      async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(await payloadOf(ADA))}.`,
      /RS256/,
    ],
    [
      'signed HS256 with a shared secret',
      async () =>
        new SignJWT(await payloadOf(ADA))
          .setProtectedHeader({ alg: 'HS256', kid: t.issuer.kid })
          .sign(new TextEncoder().encode('x'.repeat(32))),
      /RS256/,
    ],
    [
      'with a tampered payload',
      async () => tamper(await t.issuer.idToken(BOB), { sub: ADA }),
      /signature/,
    ],
    [
      'tampered to join the admin group',
      async () => tamper(await t.issuer.idToken(BOB), { 'cognito:groups': [TEST_ADMIN_GROUP] }),
      /signature/,
    ],
    ['that is not a JWT at all', async () => 'abc.def.ghi', /malformed/],
  ])('%s: 401 invalid_token, and nothing is done', async (_, makeToken, reason) => {
    const token = await t.adaWithProfile();
    const bad = await makeToken();
    for (const [method, url] of [
      ['GET', `/users/${ADA}`],
      ['GET', '/users'],
      ['DELETE', `/users/${ADA}`],
    ] as const) {
      const res = await t.as(bad, method, url);
      expectUnauthenticated(res, 'invalid_token');
      expect(res.json().detail).toMatch(reason);
    }
    expect((await t.as(token, 'GET', '/users/me')).statusCode).toBe(200);
  });

  async function payloadOf(sub: string) {
    const [, payload] = (await t.issuer.idToken(sub)).split('.');
    return JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<
      string,
      unknown
    >;
  }

  function tamper(token: string, changes: object): string {
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as object;
    return `${header}.${b64({ ...claims, ...changes })}.${signature}`;
  }
});

describe('the issuer’s keys', () => {
  it('are fetched once and cached across requests', async () => {
    const token = await t.adaWithProfile();
    for (let i = 0; i < 10; i++)
      expect((await t.as(token, 'GET', '/users/me')).statusCode).toBe(200);
    expect(t.issuer.fetches).toBe(1);
  });

  it('are fetched while the app starts, so the first request does not wait for them', async () => {
    for (let waited = 0; t.issuer.fetches === 0 && waited < 5_000; waited += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(t.issuer.fetches).toBe(1); // before any request
    const token = await t.adaWithProfile();
    expect((await t.as(token, 'GET', '/users/me')).statusCode).toBe(200);
    expect(t.issuer.fetches).toBe(1);
  });

  it('when unreachable give 503 with Retry-After, never 500, and the service recovers by itself', async () => {
    // Unreachable from the start: the fetch at start-up fails too.
    t.issuer.available = false;
    await t.rebuild(t.issuer.env());
    const token = await t.issuer.idToken(ADA, { email: ADA_EMAIL });
    const down = await t.as(token, 'GET', '/users/me');
    expectProblem(down, 503, 'AUTH_UNAVAILABLE');
    expect(down.headers['retry-after']).toBe('1');
    expect(down.headers['www-authenticate']).toBeUndefined();
    t.issuer.available = true;
    expect((await t.as(token, 'POST', '/users', newUser('ada'))).statusCode).toBe(201);
  });
});

describe('keys delivered with the deployment (AUTH_JWKS)', () => {
  /** An app with these settings instead of the suite's, once the suite's has fetched its keys. */
  async function rebuild(env: NodeJS.ProcessEnv) {
    for (let waited = 0; t.issuer.fetches === 0 && waited < 5_000; waited += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    t.issuer.fetches = 0;
    await t.rebuild(env);
  }

  it('verify tokens without a request to the issuer, at start or after', async () => {
    await rebuild(t.issuer.env({ AUTH_JWKS: t.issuer.jwks }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const token = await t.adaWithProfile();
    expect((await t.as(token, 'GET', '/users/me')).statusCode).toBe(200);
    expect(t.issuer.fetches).toBe(0);
  });

  it('leave a token of another key to the remote JWKS, fetched then (the issuer rotated)', async () => {
    const { publicKey } = await generateKeyPair('RS256', { extractable: true });
    const old = { keys: [{ ...(await exportJWK(publicKey)), kid: 'retired', alg: 'RS256' }] };
    await rebuild(t.issuer.env({ AUTH_JWKS: JSON.stringify(old) }));
    const token = await t.adaWithProfile();
    expect(t.issuer.fetches).toBe(1);
    expect((await t.as(token, 'GET', '/users/me')).statusCode).toBe(200);
    expect(t.issuer.fetches).toBe(1);
  });
});
