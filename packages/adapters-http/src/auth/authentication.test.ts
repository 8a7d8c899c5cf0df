import { testUserId } from '@userprofile/domain/testing';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { expectProblem } from '../testing/http-api.suite';
import { ConformanceRecorder } from '../testing/openapi-conformance';
import type { PhotoAccess, TicketJson } from '../testing/photo-access';
import { buildTestApp, newUser } from '../testing/test-app';
import { plainPng } from '@userprofile/adapters-images/testing';
import { TEST_ADMIN_GROUP, TestIssuer } from '../testing/test-issuer';

const ADA = testUserId(201);
const ADA_EMAIL = 'userada@example.com';
const BOB = testUserId(202);
const ROOT = testUserId(299);

let issuer: TestIssuer;
let app: FastifyInstance;
let photos: PhotoAccess;

beforeAll(async () => {
  issuer = await TestIssuer.start();
});
afterAll(() => issuer.stop());
/** Every response of this suite (jwt mode) is held to the document the jwt-mode app serves. */
const conformance = new ConformanceRecorder();
beforeEach(async () => {
  issuer.available = true;
  issuer.fetches = 0;
  ({ app, photos } = await buildTestApp({}, issuer.env()));
  await conformance.attach(app);
});
afterAll(() => conformance.verify(50));
afterEach(() => app.close());

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function as(
  token: string,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  body?: object,
) {
  const headers: Record<string, string> = { ...bearer(token) };
  if (body) {
    headers['content-type'] =
      method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
  }
  return app.inject({ method, url, headers, ...(body ? { payload: body } : {}) });
}

/** A 401 with the RFC 6750 challenge; `error` is the token error the challenge must carry. */
function expectUnauthenticated(res: LightMyRequestResponse, error?: string) {
  expectProblem(res, 401, 'UNAUTHENTICATED');
  const challenge = res.headers['www-authenticate'];
  expect(challenge).toMatch(/^Bearer realm="userprofile"/);
  if (error) expect(challenge).toContain(`error="${error}"`);
  else expect(challenge).not.toContain('error=');
}

async function adaWithProfile() {
  const token = await issuer.idToken(ADA, { email: ADA_EMAIL });
  const created = await as(token, 'POST', '/users', newUser('ada'));
  expect(created.statusCode).toBe(201);
  return token;
}

describe('a valid token', () => {
  it('lets a user create their own profile under their subject, once', async () => {
    const token = await issuer.idToken(ADA, { email: ADA_EMAIL });
    const created = await as(token, 'POST', '/users', newUser('ada'));
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ userId: ADA, email: 'userada@example.com' });
    expect(created.headers.location).toBe(`/users/${ADA}`);
    expectProblem(await as(token, 'POST', '/users', newUser('ada')), 409, 'PROFILE_EXISTS');
  });

  it('answers GET /users/me with the caller’s profile, and lets them change and delete it', async () => {
    const token = await adaWithProfile();
    const me = await as(token, 'GET', '/users/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ userId: ADA });
    expect((await as(token, 'GET', `/users/${ADA}`)).json()).toEqual(me.json());
    expect((await as(token, 'PUT', '/users/me', { firstName: 'Augusta' })).json()).toMatchObject({
      firstName: 'Augusta',
    });
    expect((await as(token, 'PATCH', `/users/${ADA}`, { lastName: 'King' })).json()).toMatchObject({
      lastName: 'King',
    });
    expect((await as(token, 'DELETE', '/users/me')).statusCode).toBe(204);
    expectProblem(await as(token, 'GET', '/users/me'), 404, 'PROFILE_NOT_FOUND');
  });

  it('is accepted as an access token, whose client is in client_id', async () => {
    await adaWithProfile();
    const token = await issuer.accessToken(ADA);
    expect((await as(token, 'GET', '/users/me')).json()).toMatchObject({ email: ADA_EMAIL });
    expect((await as(token, 'PATCH', '/users/me', { lastName: 'K' })).statusCode).toBe(200);
  });

  it('of an access token, which carries no e-mail, cannot create a profile or set its address', async () => {
    const token = await issuer.accessToken(ADA);
    const refused = expectProblem(
      await as(token, 'POST', '/users', newUser('ada')),
      400,
      'VALIDATION_FAILED',
    );
    expect(refused.errors).toEqual([
      { field: 'email', message: expect.stringMatching(/your credential carries none/) },
    ]);
    await adaWithProfile();
    expectProblem(
      await as(token, 'PATCH', '/users/me', { email: ADA_EMAIL }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it("binds the profile's e-mail to the token's verified one, and follows it when it changes", async () => {
    const token = await adaWithProfile();
    // Another address is refused alike, whether another profile holds it or not.
    const bob = await issuer.idToken(BOB, { email: 'bob@example.com' });
    expect(
      (await as(bob, 'POST', '/users', { firstName: 'B', lastName: 'B' })).json(),
    ).toMatchObject({
      email: 'bob@example.com',
    });
    const answers = [];
    for (const email of ['bob@example.com', 'nobody@example.com']) {
      const res = await as(token, 'PATCH', '/users/me', { email });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      answers.push({ ...res.json(), instance: '' });
    }
    expect(answers[0]).toEqual(answers[1]);
    // Unverified addresses are no one's.
    const unverified = await issuer.idToken(testUserId(203), {
      claims: { email: 'carol@example.com', email_verified: false },
    });
    expectProblem(
      await as(unverified, 'POST', '/users', newUser('carol')),
      400,
      'VALIDATION_FAILED',
    );
    // Changed at the identity provider: the next write (not a read) stores the new address.
    const moved = await issuer.idToken(ADA, {
      email: 'Ada.New@example.com',
      claims: { iat: Math.floor(Date.now() / 1000) + 1 },
    });
    expect((await as(moved, 'GET', '/users/me')).json()).toMatchObject({
      email: ADA_EMAIL,
      version: 1,
    });
    const me = await as(moved, 'PATCH', '/users/me', { email: 'ada.new@example.com' });
    expect(me.json()).toMatchObject({ email: 'ada.new@example.com', version: 2 });
    expect(me.headers.etag).toBe('"2"');
    const admin = await issuer.idToken(ROOT, { groups: [TEST_ADMIN_GROUP] });
    expect((await as(admin, 'GET', `/users?email=${ADA_EMAIL}`)).json()).toMatchObject({
      count: 0,
    });
  });

  it('of an admin lists, finds by e-mail and reaches every profile', async () => {
    await adaWithProfile();
    const admin = await issuer.idToken(ROOT, { groups: ['staff', TEST_ADMIN_GROUP] });
    const list = await as(admin, 'GET', '/users');
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({ count: 1, users: [{ userId: ADA }] });
    const found = await as(admin, 'GET', '/users?email=userada@example.com');
    expect(found.json()).toMatchObject({ count: 1, users: [{ userId: ADA }] });
    expect((await as(admin, 'PATCH', `/users/${ADA}`, { firstName: 'A' })).statusCode).toBe(200);
    expect((await as(admin, 'DELETE', `/users/${ADA}`)).statusCode).toBe(204);
  });
});

describe('ownership', () => {
  it('answers another user’s profile exactly as a missing one, for every method', async () => {
    await adaWithProfile();
    const bob = await issuer.idToken(BOB);
    for (const [method, body] of [
      ['GET', undefined],
      ['PUT', { firstName: 'Mallory' }],
      ['PATCH', { firstName: 'Mallory' }],
      ['DELETE', undefined],
    ] as const) {
      const theirs = await as(bob, method, `/users/${ADA}`, body);
      const nobodys = await as(bob, method, `/users/${testUserId(404)}`, body);
      expectProblem(theirs, 404, 'PROFILE_NOT_FOUND');
      expect({ ...theirs.json(), instance: '', detail: '' }).toEqual({
        ...nobodys.json(),
        instance: '',
        detail: '',
      });
    }
    const admin = await issuer.idToken(ROOT, { groups: [TEST_ADMIN_GROUP] });
    expect((await as(admin, 'GET', `/users/${ADA}`)).json()).toMatchObject({ firstName: 'Ada' });
  });

  it('keeps photos to their owner: no ticket for, commit to or removal of another’s; no use of another’s upload', async () => {
    const ada = await adaWithProfile();
    const png = await plainPng();
    const request = { contentType: png.contentType, contentLength: png.bytes.length };
    const ticket = (await as(ada, 'POST', '/users/me/photo', request)).json() as TicketJson;
    expect(await photos.upload(ticket, png.bytes, png.contentType)).toBe(204);

    const bob = await issuer.idToken(BOB);
    // Bob's e-mail is his token's verified one.
    expect((await as(bob, 'POST', '/users', { firstName: 'Bob', lastName: 'B' })).statusCode).toBe(
      201,
    );
    const commit = { uploadId: ticket.uploadId };
    expectProblem(await as(bob, 'POST', `/users/${ADA}/photo`, request), 404, 'PROFILE_NOT_FOUND');
    expectProblem(await as(bob, 'PUT', `/users/${ADA}/photo`, commit), 404, 'PROFILE_NOT_FOUND');
    expectProblem(await as(bob, 'PUT', '/users/me/photo', commit), 422, 'UPLOAD_NOT_FOUND');
    const own = await as(ada, 'PUT', '/users/me/photo', commit);
    expect(own.statusCode).toBe(200);
    expectProblem(await as(bob, 'DELETE', `/users/${ADA}/photo`), 404, 'PROFILE_NOT_FOUND');
    expect((await as(ada, 'GET', '/users/me')).json()).toHaveProperty('photo');

    // An administrator may remove it; a suspended owner gets no ticket.
    const admin = await issuer.idToken(ROOT, { groups: [TEST_ADMIN_GROUP] });
    expect((await as(admin, 'DELETE', `/users/${ADA}/photo`)).statusCode).toBe(204);
    expect((await as(admin, 'PATCH', `/users/${ADA}`, { blocked: true })).statusCode).toBe(200);
    expectProblem(await as(ada, 'POST', '/users/me/photo', request), 403, 'ACCOUNT_SUSPENDED');
    expect(await photos.keys()).toEqual([]);
  });

  it('refuses listing and finding by e-mail to a non-admin with 403', async () => {
    const token = await adaWithProfile();
    expectProblem(await as(token, 'GET', '/users'), 403, 'FORBIDDEN');
    expectProblem(await as(token, 'GET', '/users?email=userada@example.com'), 403, 'FORBIDDEN');
    const notAdmin = await issuer.idToken(BOB, { groups: ['admins', 'Admin'] });
    expectProblem(await as(notAdmin, 'GET', '/users'), 403, 'FORBIDDEN');
  });
});

describe('reads never write, and an address only moves forward (#25, finding 2)', () => {
  const secondsAgo = (n: number) => Math.floor(Date.now() / 1000) - n;

  it('alternating GETs with two valid tokens of different addresses change nothing', async () => {
    const older = await issuer.idToken(ADA, { email: ADA_EMAIL, claims: { iat: secondsAgo(60) } });
    expect((await as(older, 'POST', '/users', newUser('ada'))).statusCode).toBe(201);
    const newer = await issuer.idToken(ADA, {
      email: 'ada.new@example.com',
      claims: { iat: secondsAgo(30) },
    });
    for (let n = 0; n < 20; n++) {
      const res = await as(n % 2 === 0 ? newer : older, 'GET', '/users/me');
      expect([res.statusCode, res.headers.etag]).toEqual([200, '"1"']);
    }
    expect((await as(older, 'GET', '/users/me')).json()).toMatchObject({ email: ADA_EMAIL });
  });

  it('moves the address with a write, which the write limit counts, and never back with an older token', async () => {
    await app.close();
    ({ app } = await buildTestApp({}, issuer.env({ RATE_LIMIT_WRITES: '3' })));
    const older = await issuer.idToken(ADA, { email: ADA_EMAIL, claims: { iat: secondsAgo(60) } });
    const newer = await issuer.idToken(ADA, {
      email: 'ada.new@example.com',
      claims: { iat: secondsAgo(30) },
    });
    expect((await as(older, 'POST', '/users', newUser('ada'))).statusCode).toBe(201);
    const moved = await as(newer, 'PATCH', '/users/me', { firstName: 'Augusta' });
    expect(moved.json()).toMatchObject({ email: 'ada.new@example.com', version: 2 });
    // The older token changes the rest and leaves the address; naming its address is refused.
    const kept = await as(older, 'PATCH', '/users/me', { lastName: 'King' });
    expect(kept.json()).toMatchObject({ email: 'ada.new@example.com', version: 3 });
    const refused = await as(older, 'PUT', '/users/me', { email: ADA_EMAIL });
    expectProblem(refused, 429, 'RATE_LIMITED'); // the fourth write of the minute
    expect((await as(newer, 'GET', '/users/me')).json()).toMatchObject({
      email: 'ada.new@example.com',
      version: 3,
    });
  });

  it('refuses the older token naming its address with 400, changing nothing', async () => {
    const older = await issuer.idToken(ADA, { email: ADA_EMAIL, claims: { iat: secondsAgo(60) } });
    const newer = await issuer.idToken(ADA, {
      email: 'ada.new@example.com',
      claims: { iat: secondsAgo(30) },
    });
    expect((await as(older, 'POST', '/users', newUser('ada'))).statusCode).toBe(201);
    expect((await as(newer, 'PUT', '/users/me', { email: 'ada.new@example.com' })).statusCode).toBe(
      200,
    );
    const body = expectProblem(
      await as(older, 'PUT', '/users/me', { email: ADA_EMAIL }),
      400,
      'VALIDATION_FAILED',
    );
    expect(body.errors).toEqual([
      { field: 'email', message: expect.stringMatching(/issued before/) },
    ]);
    expect((await as(newer, 'GET', '/users/me')).json()).toMatchObject({
      email: 'ada.new@example.com',
      version: 2,
    });
  });
});

describe('a blocked account', () => {
  it('is set by an admin only, and leaves its owner reading and deleting, nothing else', async () => {
    const token = await adaWithProfile();
    const self = expectProblem(
      await as(token, 'PATCH', '/users/me', { blocked: false }),
      400,
      'VALIDATION_FAILED',
    );
    expect(self.errors).toEqual([
      { field: 'blocked', message: 'may be changed by administrators only' },
    ]);
    const admin = await issuer.idToken(ROOT, { groups: [TEST_ADMIN_GROUP] });
    const blocked = await as(admin, 'PATCH', `/users/${ADA}`, { blocked: true });
    expect(blocked.statusCode).toBe(200);
    expect(blocked.json()).toMatchObject({ blocked: true, active: true });

    expect((await as(token, 'GET', '/users/me')).json()).toMatchObject({ blocked: true });
    expectProblem(await as(token, 'PUT', '/users/me', { active: false }), 403, 'ACCOUNT_SUSPENDED');
    expectProblem(
      await as(token, 'PATCH', '/users/me', { firstName: 'X' }),
      403,
      'ACCOUNT_SUSPENDED',
    );
    expectProblem(await as(token, 'POST', '/users', newUser('ada')), 409, 'PROFILE_EXISTS');
    expect((await as(admin, 'GET', `/users/${ADA}`)).json()).toMatchObject({ firstName: 'Ada' });
    expect((await as(token, 'DELETE', '/users/me')).statusCode).toBe(204);
  });
});

describe('a suspension (#25)', () => {
  const admin = () => issuer.idToken(ROOT, { groups: [TEST_ADMIN_GROUP] });
  const future = () => new Date(Date.now() + 24 * 60 * 60_000).toISOString();

  it('outlives DELETE: the re-created profile is suspended, its writes and photo tickets refused (finding 1)', async () => {
    const token = await adaWithProfile();
    const root = await admin();
    expect((await as(root, 'PATCH', `/users/${ADA}`, { blocked: true })).json()).toMatchObject({
      blocked: true,
      suspension: { reason: 'OTHER' },
    });
    expectProblem(
      await as(token, 'PATCH', '/users/me', { firstName: 'X' }),
      403,
      'ACCOUNT_SUSPENDED',
    );
    expect((await as(token, 'DELETE', '/users/me')).statusCode).toBe(204);
    const again = await as(token, 'POST', '/users', newUser('ada'));
    expect(again.statusCode).toBe(201);
    expect(again.json()).toMatchObject({ blocked: true, suspension: { reason: 'OTHER' } });
    expectProblem(
      await as(token, 'PATCH', '/users/me', { firstName: 'X' }),
      403,
      'ACCOUNT_SUSPENDED',
    );
    const ticket = { contentType: 'image/jpeg', contentLength: 1000 };
    expectProblem(await as(token, 'POST', '/users/me/photo', ticket), 403, 'ACCOUNT_SUSPENDED');
  });

  it('has a reason and an end, which the refusal names; an admin lifts it early; the history says who and when (finding 3)', async () => {
    const token = await adaWithProfile();
    const root = await admin();
    const until = future();
    const suspended = await as(root, 'PUT', `/users/${ADA}/suspension`, {
      reason: 'SPAM',
      note: 'bulk invitations',
      until,
    });
    expect(suspended.statusCode).toBe(200);
    expect(suspended.json()).toEqual({
      reason: 'SPAM',
      note: 'bulk invitations',
      until: new Date(until).toISOString(),
      suspendedBy: ROOT,
      suspendedAt: expect.any(String),
    });
    const refused = expectProblem(
      await as(token, 'PUT', '/users/me', { lastName: 'X' }),
      403,
      'ACCOUNT_SUSPENDED',
    );
    expect(refused.until).toBe(new Date(until).toISOString());
    const listed = (await as(root, 'GET', '/users?suspended=true')).json();
    expect(listed).toMatchObject({ count: 1, users: [{ userId: ADA, blocked: true }] });
    expect((await as(root, 'DELETE', `/users/${ADA}/suspension`)).statusCode).toBe(204);
    expect((await as(token, 'PATCH', '/users/me', { firstName: 'Free' })).statusCode).toBe(200);
    expect((await as(root, 'GET', '/users?suspended=true')).json()).toMatchObject({ count: 0 });
    const history = (await as(root, 'GET', `/users/${ADA}/suspensions`)).json();
    expect(history).toEqual({
      userId: ADA,
      suspensions: [expect.objectContaining({ reason: 'SPAM', suspendedBy: ROOT, liftedBy: ROOT })],
    });
  });

  it('is the administrators’ alone, and a bad request names every problem', async () => {
    const token = await adaWithProfile();
    expectProblem(
      await as(token, 'PUT', '/users/me/suspension', { reason: 'SPAM' }),
      403,
      'FORBIDDEN',
    );
    expectProblem(await as(token, 'DELETE', '/users/me/suspension'), 403, 'FORBIDDEN');
    expectProblem(await as(token, 'GET', '/users/me/suspensions'), 403, 'FORBIDDEN');
    expectProblem(await as(token, 'GET', `/users/${BOB}/suspensions`), 404, 'PROFILE_NOT_FOUND');
    const root = await admin();
    const bad = expectProblem(
      await as(root, 'PUT', `/users/${ADA}/suspension`, {
        reason: 'BORED',
        until: '2020-01-01T00:00:00Z',
      }),
      400,
      'VALIDATION_FAILED',
    );
    expect((bad.errors as { field: string }[]).map((e) => e.field)).toEqual(['reason', 'until']);
    expect((await as(token, 'GET', '/users/me')).json()).toMatchObject({ blocked: false });
  });
});

describe('the per-subject write limit', () => {
  it('answers writes past RATE_LIMIT_WRITES a minute with 429 and Retry-After, per subject only', async () => {
    await app.close();
    ({ app } = await buildTestApp({}, issuer.env({ RATE_LIMIT_WRITES: '3' })));
    const token = await adaWithProfile(); // one write
    for (const [firstName, left] of [
      ['B', 1],
      ['C', 0],
    ] as const) {
      const res = await as(token, 'PATCH', '/users/me', { firstName });
      expect(res.statusCode).toBe(200);
      // The IETF's fields (draft-ietf-httpapi-ratelimit-headers) tell the budget, and only they.
      expect(res.headers['ratelimit-policy']).toBe('"writes";q=3;w=60');
      expect(res.headers.ratelimit).toMatch(
        new RegExp(`^"writes";r=${left};t=([1-9]|[1-5][0-9]|60)$`),
      );
      expect(Object.keys(res.headers).filter((h) => h.startsWith('x-ratelimit'))).toEqual([]);
    }
    const limited = await as(token, 'PATCH', '/users/me', { firstName: 'D' });
    const body = expectProblem(limited, 429, 'RATE_LIMITED');
    expect(body.detail).toMatch(/at most 3 a minute/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['ratelimit-policy']).toBe('"writes";q=3;w=60');
    expect(limited.headers.ratelimit).toBe(`"writes";r=0;t=${limited.headers['retry-after']}`);
    expect((await as(token, 'DELETE', '/users/me')).statusCode).toBe(429);
    // Reads are not counted (and say nothing of the budget); nor is anyone else.
    const read = await as(token, 'GET', '/users/me');
    expect(read.json()).toMatchObject({ firstName: 'C' });
    expect(read.headers).not.toHaveProperty('ratelimit');
    const bob = await issuer.idToken(BOB);
    expect((await as(bob, 'POST', '/users', { firstName: 'B', lastName: 'B' })).statusCode).toBe(
      201,
    );
  });

  it('does not exist in open mode, where anyone may do anything anyway', async () => {
    const open = (await buildTestApp({}, { RATE_LIMIT_WRITES: '1' })).app;
    try {
      for (let n = 0; n < 5; n++) {
        const res = await open.inject({ method: 'POST', url: '/users', payload: newUser(n) });
        expect(res.statusCode).toBe(201);
      }
    } finally {
      await open.close();
    }
  });
});

describe('a refused token', () => {
  it('missing: 401 with a bare Bearer challenge, before the body is even looked at', async () => {
    expectUnauthenticated(await app.inject({ method: 'GET', url: '/users/me' }));
    expectUnauthenticated(
      await app.inject({
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
        await app.inject({ method: 'GET', url: '/users/me', headers: { authorization } }),
        'invalid_request',
      );
    }
  });

  it.each<[string, () => Promise<string>, RegExp]>([
    ['expired', () => issuer.idToken(ADA, { email: ADA_EMAIL, expiresIn: -60 }), /expired/],
    [
      'issued in the future, beyond the clock skew',
      () =>
        issuer.idToken(ADA, {
          email: ADA_EMAIL,
          claims: { iat: Math.floor(Date.now() / 1000) + 600 },
        }),
      /issued in the future/,
    ],
    [
      'older than a day, though not expired',
      () =>
        issuer.idToken(ADA, {
          email: ADA_EMAIL,
          claims: { iat: Math.floor(Date.now() / 1000) - 2 * 86_400 },
        }),
      /expired/,
    ],
    [
      'issued for ten years',
      () => issuer.idToken(ADA, { email: ADA_EMAIL, expiresIn: 10 * 365 * 86_400 }),
      /longer than a day/,
    ],
    [
      'without an issue time',
      () => issuer.idToken(ADA, { email: ADA_EMAIL, claims: { iat: undefined } }),
      /iat/,
    ],
    [
      'not yet valid',
      () =>
        issuer.idToken(ADA, {
          email: ADA_EMAIL,
          claims: { nbf: Math.floor(Date.now() / 1000) + 600 },
        }),
      /not valid yet/,
    ],
    [
      'from another issuer',
      () =>
        issuer.idToken(ADA, {
          email: ADA_EMAIL,
          claims: { iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_other' },
        }),
      /another issuer/,
    ],
    [
      'an ID token for another client',
      () => issuer.idToken(ADA, { email: ADA_EMAIL, claims: { aud: 'another-client' } }),
      /another client/,
    ],
    [
      'an access token for another client',
      () => issuer.accessToken(ADA, { claims: { client_id: 'another-client' } }),
      /another client/,
    ],
    [
      'an access token carrying the client only in aud',
      () =>
        issuer.accessToken(ADA, { claims: { client_id: undefined, aud: 'test-mobile-client' } }),
      /another client/,
    ],
    [
      'of another token_use',
      () => issuer.idToken(ADA, { email: ADA_EMAIL, claims: { token_use: 'refresh' } }),
      /neither/,
    ],
    [
      'without token_use',
      () => issuer.idToken(ADA, { email: ADA_EMAIL, claims: { token_use: undefined } }),
      /token_use/,
    ],
    [
      'without a subject',
      () => issuer.idToken(ADA, { email: ADA_EMAIL, claims: { sub: undefined } }),
      /sub/,
    ],
    [
      'with an empty subject',
      () => issuer.idToken(ADA, { email: ADA_EMAIL, claims: { sub: ' ' } }),
      /subject/,
    ],
    [
      'without an expiry',
      () => issuer.idToken(ADA, { email: ADA_EMAIL, claims: { exp: undefined } }),
      /exp/,
    ],
    [
      'signed by another key under the issuer’s kid',
      async () =>
        issuer.idToken(ADA, { email: ADA_EMAIL, key: (await generateKeyPair('RS256')).privateKey }),
      /signature/,
    ],
    [
      'signed by a key the issuer does not have',
      async () =>
        issuer.idToken(ADA, {
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
          .setProtectedHeader({ alg: 'HS256', kid: issuer.kid })
          .sign(new TextEncoder().encode('x'.repeat(32))),
      /RS256/,
    ],
    [
      'with a tampered payload',
      async () => tamper(await issuer.idToken(BOB), { sub: ADA }),
      /signature/,
    ],
    [
      'tampered to join the admin group',
      async () => tamper(await issuer.idToken(BOB), { 'cognito:groups': [TEST_ADMIN_GROUP] }),
      /signature/,
    ],
    ['that is not a JWT at all', async () => 'abc.def.ghi', /malformed/],
  ])('%s: 401 invalid_token, and nothing is done', async (_, makeToken, reason) => {
    const token = await adaWithProfile();
    const bad = await makeToken();
    for (const [method, url] of [
      ['GET', `/users/${ADA}`],
      ['GET', '/users'],
      ['DELETE', `/users/${ADA}`],
    ] as const) {
      const res = await as(bad, method, url);
      expectUnauthenticated(res, 'invalid_token');
      expect(res.json().detail).toMatch(reason);
    }
    expect((await as(token, 'GET', '/users/me')).statusCode).toBe(200);
  });

  async function payloadOf(sub: string) {
    const [, payload] = (await issuer.idToken(sub)).split('.');
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
    const token = await adaWithProfile();
    for (let i = 0; i < 10; i++) expect((await as(token, 'GET', '/users/me')).statusCode).toBe(200);
    expect(issuer.fetches).toBe(1);
  });

  it('are fetched while the app starts, so the first request does not wait for them', async () => {
    for (let waited = 0; issuer.fetches === 0 && waited < 5_000; waited += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(issuer.fetches).toBe(1); // before any request
    const token = await adaWithProfile();
    expect((await as(token, 'GET', '/users/me')).statusCode).toBe(200);
    expect(issuer.fetches).toBe(1);
  });

  it('when unreachable give 503 with Retry-After, never 500, and the service recovers by itself', async () => {
    // Unreachable from the start: the fetch at start-up fails too.
    await app.close();
    issuer.available = false;
    ({ app, photos } = await buildTestApp({}, issuer.env()));
    const token = await issuer.idToken(ADA, { email: ADA_EMAIL });
    const down = await as(token, 'GET', '/users/me');
    expectProblem(down, 503, 'AUTH_UNAVAILABLE');
    expect(down.headers['retry-after']).toBe('1');
    expect(down.headers['www-authenticate']).toBeUndefined();
    issuer.available = true;
    expect((await as(token, 'POST', '/users', newUser('ada'))).statusCode).toBe(201);
  });
});

describe('keys delivered with the deployment (AUTH_JWKS)', () => {
  /** An app with these settings instead of the suite's, once the suite's has fetched its keys. */
  async function rebuild(env: NodeJS.ProcessEnv) {
    for (let waited = 0; issuer.fetches === 0 && waited < 5_000; waited += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await app.close();
    issuer.fetches = 0;
    ({ app } = await buildTestApp({}, env));
  }

  it('verify tokens without a request to the issuer, at start or after', async () => {
    await rebuild(issuer.env({ AUTH_JWKS: issuer.jwks }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const token = await adaWithProfile();
    expect((await as(token, 'GET', '/users/me')).statusCode).toBe(200);
    expect(issuer.fetches).toBe(0);
  });

  it('leave a token of another key to the remote JWKS, fetched then (the issuer rotated)', async () => {
    const { publicKey } = await generateKeyPair('RS256', { extractable: true });
    const old = { keys: [{ ...(await exportJWK(publicKey)), kid: 'retired', alg: 'RS256' }] };
    await rebuild(issuer.env({ AUTH_JWKS: JSON.stringify(old) }));
    const token = await adaWithProfile();
    expect(issuer.fetches).toBe(1);
    expect((await as(token, 'GET', '/users/me')).statusCode).toBe(200);
    expect(issuer.fetches).toBe(1);
  });
});

describe('what stays open', () => {
  it('health checks need no token', async () => {
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);
  });

  it('CORS preflight needs no token and allows the Authorization header', async () => {
    const res = await app.inject({
      method: 'OPTIONS',
      url: '/users/me',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-headers']).toMatch(/authorization/);
    expect(res.headers['access-control-expose-headers']).toMatch(/www-authenticate/);
  });
});
