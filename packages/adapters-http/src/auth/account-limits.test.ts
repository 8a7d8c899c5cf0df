import { expectProblem } from '../testing/suite-context';
import { ADA, ADA_EMAIL, BOB, ROOT, jwtAppSuite } from '../testing/jwt-app';
import { buildTestApp, newUser } from '../testing/test-app';

// What a signed-in user meets beyond ownership: the address their token carries, blocking and
// suspensions by administrators, and the per-subject write limit. The rules are the domain's
// (ownership.test.ts, suspensions.test.ts); these hold the HTTP answers and the limit, which is
// the edge's.
const t = jwtAppSuite(40);

describe('reads never write, and an address only moves forward (#25, finding 2)', () => {
  const secondsAgo = (n: number) => Math.floor(Date.now() / 1000) - n;

  it('alternating GETs with two valid tokens of different addresses change nothing', async () => {
    const older = await t.issuer.idToken(ADA, {
      email: ADA_EMAIL,
      claims: { iat: secondsAgo(60) },
    });
    expect((await t.as(older, 'POST', '/users', newUser('ada'))).statusCode).toBe(201);
    const newer = await t.issuer.idToken(ADA, {
      email: 'ada.new@example.com',
      claims: { iat: secondsAgo(30) },
    });
    for (let n = 0; n < 20; n++) {
      const res = await t.as(n % 2 === 0 ? newer : older, 'GET', '/users/me');
      expect([res.statusCode, res.headers.etag]).toEqual([200, '"1"']);
    }
    expect((await t.as(older, 'GET', '/users/me')).json()).toMatchObject({ email: ADA_EMAIL });
  });

  it('moves the address with a write, which the write limit counts, and never back with an older token', async () => {
    await t.rebuild(t.issuer.env({ RATE_LIMIT_WRITES: '3' }));
    const older = await t.issuer.idToken(ADA, {
      email: ADA_EMAIL,
      claims: { iat: secondsAgo(60) },
    });
    const newer = await t.issuer.idToken(ADA, {
      email: 'ada.new@example.com',
      claims: { iat: secondsAgo(30) },
    });
    expect((await t.as(older, 'POST', '/users', newUser('ada'))).statusCode).toBe(201);
    const moved = await t.as(newer, 'PATCH', '/users/me', { firstName: 'Augusta' });
    expect(moved.json()).toMatchObject({ email: 'ada.new@example.com', version: 2 });
    // The older token changes the rest and leaves the address; naming its address is refused.
    const kept = await t.as(older, 'PATCH', '/users/me', { lastName: 'King' });
    expect(kept.json()).toMatchObject({ email: 'ada.new@example.com', version: 3 });
    const refused = await t.as(older, 'PUT', '/users/me', { email: ADA_EMAIL });
    expectProblem(refused, 429, 'RATE_LIMITED'); // the fourth write of the minute
    expect((await t.as(newer, 'GET', '/users/me')).json()).toMatchObject({
      email: 'ada.new@example.com',
      version: 3,
    });
  });
});

describe('a blocked account', () => {
  it('is set by an admin only, and leaves its owner reading and deleting, nothing else', async () => {
    const token = await t.adaWithProfile();
    const self = expectProblem(
      await t.as(token, 'PATCH', '/users/me', { blocked: false }),
      400,
      'VALIDATION_FAILED',
    );
    expect(self.errors).toEqual([
      { field: 'blocked', message: 'may be changed by administrators only' },
    ]);
    const admin = await t.admin();
    const blocked = await t.as(admin, 'PATCH', `/users/${ADA}`, { blocked: true });
    expect(blocked.statusCode).toBe(200);
    expect(blocked.json()).toMatchObject({ blocked: true, active: true });

    expect((await t.as(token, 'GET', '/users/me')).json()).toMatchObject({ blocked: true });
    expectProblem(
      await t.as(token, 'PUT', '/users/me', { active: false }),
      403,
      'ACCOUNT_SUSPENDED',
    );
    expectProblem(
      await t.as(token, 'PATCH', '/users/me', { firstName: 'X' }),
      403,
      'ACCOUNT_SUSPENDED',
    );
    expectProblem(await t.as(token, 'POST', '/users', newUser('ada')), 409, 'PROFILE_EXISTS');
    expect((await t.as(admin, 'GET', `/users/${ADA}`)).json()).toMatchObject({ firstName: 'Ada' });
    expect((await t.as(token, 'DELETE', '/users/me')).statusCode).toBe(204);
  });
});

describe('a suspension (#25)', () => {
  const future = () => new Date(Date.now() + 24 * 60 * 60_000).toISOString();

  it('outlives DELETE: the re-created profile is suspended, its writes and photo tickets refused (finding 1)', async () => {
    const token = await t.adaWithProfile();
    const root = await t.admin();
    expect((await t.as(root, 'PATCH', `/users/${ADA}`, { blocked: true })).json()).toMatchObject({
      blocked: true,
      suspension: { reason: 'OTHER' },
    });
    expectProblem(
      await t.as(token, 'PATCH', '/users/me', { firstName: 'X' }),
      403,
      'ACCOUNT_SUSPENDED',
    );
    expect((await t.as(token, 'DELETE', '/users/me')).statusCode).toBe(204);
    const again = await t.as(token, 'POST', '/users', newUser('ada'));
    expect(again.statusCode).toBe(201);
    expect(again.json()).toMatchObject({ blocked: true, suspension: { reason: 'OTHER' } });
    expectProblem(
      await t.as(token, 'PATCH', '/users/me', { firstName: 'X' }),
      403,
      'ACCOUNT_SUSPENDED',
    );
    const ticket = { contentType: 'image/jpeg', contentLength: 1000 };
    expectProblem(await t.as(token, 'POST', '/users/me/photo', ticket), 403, 'ACCOUNT_SUSPENDED');
  });

  it('has a reason and an end, which the refusal names; an admin lifts it early; the history says who and when (finding 3)', async () => {
    const token = await t.adaWithProfile();
    const root = await t.admin();
    const until = future();
    const suspended = await t.as(root, 'PUT', `/users/${ADA}/suspension`, {
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
      await t.as(token, 'PUT', '/users/me', { lastName: 'X' }),
      403,
      'ACCOUNT_SUSPENDED',
    );
    expect(refused.until).toBe(new Date(until).toISOString());
    const listed = (await t.as(root, 'GET', '/users?suspended=true')).json();
    expect(listed).toMatchObject({ count: 1, users: [{ userId: ADA, blocked: true }] });
    expect((await t.as(root, 'DELETE', `/users/${ADA}/suspension`)).statusCode).toBe(204);
    expect((await t.as(token, 'PATCH', '/users/me', { firstName: 'Free' })).statusCode).toBe(200);
    expect((await t.as(root, 'GET', '/users?suspended=true')).json()).toMatchObject({ count: 0 });
    const history = (await t.as(root, 'GET', `/users/${ADA}/suspensions`)).json();
    expect(history).toEqual({
      userId: ADA,
      suspensions: [expect.objectContaining({ reason: 'SPAM', suspendedBy: ROOT, liftedBy: ROOT })],
    });
  });

  it('is the administrators’ alone, and a bad request names every problem', async () => {
    const token = await t.adaWithProfile();
    expectProblem(
      await t.as(token, 'PUT', '/users/me/suspension', { reason: 'SPAM' }),
      403,
      'FORBIDDEN',
    );
    expectProblem(await t.as(token, 'DELETE', '/users/me/suspension'), 403, 'FORBIDDEN');
    expectProblem(await t.as(token, 'GET', '/users/me/suspensions'), 403, 'FORBIDDEN');
    expectProblem(await t.as(token, 'GET', `/users/${BOB}/suspensions`), 404, 'PROFILE_NOT_FOUND');
    const root = await t.admin();
    const bad = expectProblem(
      await t.as(root, 'PUT', `/users/${ADA}/suspension`, {
        reason: 'BORED',
        until: '2020-01-01T00:00:00Z',
      }),
      400,
      'VALIDATION_FAILED',
    );
    expect((bad.errors as { field: string }[]).map((e) => e.field)).toEqual(['reason', 'until']);
    expect((await t.as(token, 'GET', '/users/me')).json()).toMatchObject({ blocked: false });
  });
});

describe('the per-subject write limit', () => {
  it('answers writes past RATE_LIMIT_WRITES a minute with 429 and Retry-After, per subject only', async () => {
    await t.rebuild(t.issuer.env({ RATE_LIMIT_WRITES: '3' }));
    const token = await t.adaWithProfile(); // one write
    for (const [firstName, left] of [
      ['B', 1],
      ['C', 0],
    ] as const) {
      const res = await t.as(token, 'PATCH', '/users/me', { firstName });
      expect(res.statusCode).toBe(200);
      // The IETF's fields (draft-ietf-httpapi-ratelimit-headers) tell the budget, and only they.
      expect(res.headers['ratelimit-policy']).toBe('"writes";q=3;w=60');
      expect(res.headers.ratelimit).toMatch(
        new RegExp(`^"writes";r=${left};t=([1-9]|[1-5][0-9]|60)$`),
      );
      expect(Object.keys(res.headers).filter((h) => h.startsWith('x-ratelimit'))).toEqual([]);
    }
    const limited = await t.as(token, 'PATCH', '/users/me', { firstName: 'D' });
    const body = expectProblem(limited, 429, 'RATE_LIMITED');
    expect(body.detail).toMatch(/at most 3 a minute/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['ratelimit-policy']).toBe('"writes";q=3;w=60');
    expect(limited.headers.ratelimit).toBe(`"writes";r=0;t=${limited.headers['retry-after']}`);
    expect((await t.as(token, 'DELETE', '/users/me')).statusCode).toBe(429);
    // Reads are not counted (and say nothing of the budget); nor is anyone else.
    const read = await t.as(token, 'GET', '/users/me');
    expect(read.json()).toMatchObject({ firstName: 'C' });
    expect(read.headers).not.toHaveProperty('ratelimit');
    const bob = await t.issuer.idToken(BOB);
    expect((await t.as(bob, 'POST', '/users', { firstName: 'B', lastName: 'B' })).statusCode).toBe(
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
