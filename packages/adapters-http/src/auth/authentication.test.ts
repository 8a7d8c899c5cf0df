import { testUserId } from '@userprofile/domain/testing';
import { expectProblem } from '../testing/suite-context';
import { ADA, ADA_EMAIL, BOB, ROOT, jwtAppSuite } from '../testing/jwt-app';
import { newUser } from '../testing/test-app';
import { TEST_ADMIN_GROUP } from '../testing/test-issuer';

// What the edge does with a valid token: the actor it makes (subject, verified e-mail, issue
// time, groups). The rules applied to that actor (ownership, e-mail binding, blocking) are the
// domain's, tested there: packages/domain/src/use-cases/ownership.test.ts.
const t = jwtAppSuite(40);

describe('a valid token', () => {
  it('lets a user create their own profile under their subject, once', async () => {
    const token = await t.issuer.idToken(ADA, { email: ADA_EMAIL });
    const created = await t.as(token, 'POST', '/users', newUser('ada'));
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ userId: ADA, email: 'userada@example.com' });
    expect(created.headers.location).toBe(`/users/${ADA}`);
    expectProblem(await t.as(token, 'POST', '/users', newUser('ada')), 409, 'PROFILE_EXISTS');
  });

  it('answers GET /users/me with the caller’s profile, and lets them change and delete it', async () => {
    const token = await t.adaWithProfile();
    const me = await t.as(token, 'GET', '/users/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ userId: ADA });
    expect((await t.as(token, 'GET', `/users/${ADA}`)).json()).toEqual(me.json());
    expect((await t.as(token, 'PUT', '/users/me', { firstName: 'Augusta' })).json()).toMatchObject({
      firstName: 'Augusta',
    });
    expect(
      (await t.as(token, 'PATCH', `/users/${ADA}`, { lastName: 'King' })).json(),
    ).toMatchObject({
      lastName: 'King',
    });
    expect((await t.as(token, 'DELETE', '/users/me')).statusCode).toBe(204);
    expectProblem(await t.as(token, 'GET', '/users/me'), 404, 'PROFILE_NOT_FOUND');
  });

  it('is accepted as an access token, whose client is in client_id', async () => {
    await t.adaWithProfile();
    const token = await t.issuer.accessToken(ADA);
    expect((await t.as(token, 'GET', '/users/me')).json()).toMatchObject({ email: ADA_EMAIL });
    expect((await t.as(token, 'PATCH', '/users/me', { lastName: 'K' })).statusCode).toBe(200);
  });

  it('of an access token, which carries no e-mail, cannot create a profile or set its address', async () => {
    const token = await t.issuer.accessToken(ADA);
    const refused = expectProblem(
      await t.as(token, 'POST', '/users', newUser('ada')),
      400,
      'VALIDATION_FAILED',
    );
    expect(refused.errors).toEqual([
      { field: 'email', message: expect.stringMatching(/your credential carries none/) },
    ]);
    await t.adaWithProfile();
    expectProblem(
      await t.as(token, 'PATCH', '/users/me', { email: ADA_EMAIL }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it("binds the profile's e-mail to the token's verified one, and follows it when it changes", async () => {
    const token = await t.adaWithProfile();
    // Another address is refused alike, whether another profile holds it or not.
    const bob = await t.issuer.idToken(BOB, { email: 'bob@example.com' });
    expect(
      (await t.as(bob, 'POST', '/users', { firstName: 'B', lastName: 'B' })).json(),
    ).toMatchObject({
      email: 'bob@example.com',
    });
    const answers = [];
    for (const email of ['bob@example.com', 'nobody@example.com']) {
      const res = await t.as(token, 'PATCH', '/users/me', { email });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      answers.push({ ...res.json(), instance: '' });
    }
    expect(answers[0]).toEqual(answers[1]);
    // Unverified addresses are no one's.
    const unverified = await t.issuer.idToken(testUserId(203), {
      claims: { email: 'carol@example.com', email_verified: false },
    });
    expectProblem(
      await t.as(unverified, 'POST', '/users', newUser('carol')),
      400,
      'VALIDATION_FAILED',
    );
    // Changed at the identity provider: the next write (not a read) stores the new address.
    const moved = await t.issuer.idToken(ADA, {
      email: 'Ada.New@example.com',
      claims: { iat: Math.floor(Date.now() / 1000) + 1 },
    });
    expect((await t.as(moved, 'GET', '/users/me')).json()).toMatchObject({
      email: ADA_EMAIL,
      version: 1,
    });
    const me = await t.as(moved, 'PATCH', '/users/me', { email: 'ada.new@example.com' });
    expect(me.json()).toMatchObject({ email: 'ada.new@example.com', version: 2 });
    expect(me.headers.etag).toBe('"2"');
    const admin = await t.admin();
    expect((await t.as(admin, 'GET', `/users?email=${ADA_EMAIL}`)).json()).toMatchObject({
      count: 0,
    });
  });

  it('of an admin lists, finds by e-mail and reaches every profile', async () => {
    await t.adaWithProfile();
    const admin = await t.issuer.idToken(ROOT, { groups: ['staff', TEST_ADMIN_GROUP] });
    const list = await t.as(admin, 'GET', '/users');
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({ count: 1, users: [{ userId: ADA }] });
    const found = await t.as(admin, 'GET', '/users?email=userada@example.com');
    expect(found.json()).toMatchObject({ count: 1, users: [{ userId: ADA }] });
    expect((await t.as(admin, 'PATCH', `/users/${ADA}`, { firstName: 'A' })).statusCode).toBe(200);
    expect((await t.as(admin, 'DELETE', `/users/${ADA}`)).statusCode).toBe(204);
  });
});

describe('ownership, at the edge', () => {
  it('makes another subject a stranger: their profile answers exactly as a missing one, for every method', async () => {
    await t.adaWithProfile();
    const bob = await t.issuer.idToken(BOB);
    for (const [method, body] of [
      ['GET', undefined],
      ['PUT', { firstName: 'Mallory' }],
      ['PATCH', { firstName: 'Mallory' }],
      ['DELETE', undefined],
      ['POST', { contentType: 'image/png', contentLength: 100 }],
    ] as const) {
      const path = method === 'POST' ? '/photo' : '';
      const theirs = await t.as(bob, method, `/users/${ADA}${path}`, body);
      const nobodys = await t.as(bob, method, `/users/${testUserId(404)}${path}`, body);
      expectProblem(theirs, 404, 'PROFILE_NOT_FOUND');
      expect({ ...theirs.json(), instance: '', detail: '' }).toEqual({
        ...nobodys.json(),
        instance: '',
        detail: '',
      });
    }
  });

  it('reads the admin group from cognito:groups exactly: a look-alike group lists nothing', async () => {
    const token = await t.adaWithProfile();
    expectProblem(await t.as(token, 'GET', '/users'), 403, 'FORBIDDEN');
    expectProblem(await t.as(token, 'GET', `/users?email=${ADA_EMAIL}`), 403, 'FORBIDDEN');
    const notAdmin = await t.issuer.idToken(BOB, { groups: ['admins', 'Admin'] });
    expectProblem(await t.as(notAdmin, 'GET', '/users'), 403, 'FORBIDDEN');
    const admin = await t.issuer.idToken(BOB, { groups: ['staff', TEST_ADMIN_GROUP] });
    expect((await t.as(admin, 'GET', `/users/${ADA}`)).json()).toMatchObject({ firstName: 'Ada' });
  });
});

describe('what stays open', () => {
  it('health checks need no token', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);
  });

  it('CORS preflight needs no token and allows the Authorization header', async () => {
    const res = await t.app.inject({
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
