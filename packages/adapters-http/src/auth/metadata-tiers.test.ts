import { testUserId } from '@userprofile/domain/testing';
import type { FastifyInstance } from 'fastify';
import { expectProblem } from '../testing/suite-context';
import { ConformanceRecorder } from '../testing/openapi-conformance';
import { buildTestApp, newUser } from '../testing/test-app';
import { TEST_ADMIN_GROUP, TestIssuer } from '../testing/test-issuer';

// The metadata tiers with authentication on: who writes and who reads each.

const ADA = testUserId(301);
const ROOT = testUserId(399);

let issuer: TestIssuer;
let app: FastifyInstance;
const conformance = new ConformanceRecorder();

beforeAll(async () => {
  issuer = await TestIssuer.start();
});
afterAll(() => issuer.stop());
beforeEach(async () => {
  ({ app } = await buildTestApp({}, issuer.env()));
  await conformance.attach(app);
});
afterEach(() => app.close());
afterAll(() => conformance.verify(5));

async function as(
  token: string,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH',
  url: string,
  body?: object,
) {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body) {
    headers['content-type'] =
      method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
  }
  return app.inject({ method, url, headers, ...(body ? { payload: body } : {}) });
}

async function adaAndRoot() {
  const ada = await issuer.idToken(ADA, { email: 'userada@example.com' });
  expect((await as(ada, 'POST', '/users', newUser('ada'))).statusCode).toBe(201);
  return { ada, root: await issuer.idToken(ROOT, { groups: [TEST_ADMIN_GROUP] }) };
}

describe('appMetadata', () => {
  it("refuses the owner's write with 403 naming the field, and changes nothing", async () => {
    const { ada } = await adaAndRoot();
    for (const [method, body] of [
      ['PATCH', { appMetadata: { plan: 'pro' } }],
      ['PUT', { appMetadata: { plan: 'pro' }, firstName: 'Ada' }],
      ['PATCH', { appMetadata: null }],
    ] as const) {
      const problem = expectProblem(await as(ada, method, '/users/me', body), 403, 'FORBIDDEN');
      expect(problem.errors).toEqual([
        { field: 'appMetadata', message: 'may be written by administrators only' },
      ]);
    }
    expect((await as(ada, 'GET', '/users/me')).json()).toMatchObject({ version: 1 });
  });

  it('is written by an administrator and read by the owner', async () => {
    const { ada, root } = await adaAndRoot();
    const written = await as(root, 'PATCH', `/users/${ADA}`, { appMetadata: { plan: 'pro' } });
    expect(written.statusCode).toBe(200);
    expect((await as(ada, 'GET', '/users/me')).json()).toMatchObject({
      appMetadata: { plan: 'pro' },
    });
  });
});

describe('the owner’s fields', () => {
  it('lets the owner write publicMetadata, locale and time zone, canonicalised', async () => {
    const { ada } = await adaAndRoot();
    const res = await as(ada, 'PATCH', '/users/me', {
      publicMetadata: { bio: 'Analyst' },
      locale: 'en-gb',
      timeZone: 'Europe/London',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      publicMetadata: { bio: 'Analyst' },
      locale: 'en-GB',
      timeZone: 'Europe/London',
    });
  });

  it('names each bad field in one 400', async () => {
    const { ada } = await adaAndRoot();
    const problem = expectProblem(
      await as(ada, 'PATCH', '/users/me', {
        locale: 'x_y',
        timeZone: 'Nowhere/Land',
        username: 'a b',
      }),
      400,
      'VALIDATION_FAILED',
    );
    expect((problem.errors as { field: string }[]).map((e) => e.field)).toEqual([
      'locale',
      'timeZone',
      'username',
    ]);
  });
});

describe('public profiles with authentication on', () => {
  it('are read by any signed-in user, even one without a profile; never without a token', async () => {
    const { ada } = await adaAndRoot();
    await as(ada, 'PATCH', '/users/me', { publicMetadata: { bio: 'Analyst' }, username: 'ada' });
    const stranger = await issuer.idToken(testUserId(350));
    const res = await as(stranger, 'GET', `/users/${ADA}/public`);
    expect(res.json()).toEqual({
      userId: ADA,
      username: 'ada',
      displayName: 'Ada L.',
      publicMetadata: { bio: 'Analyst' },
    });
    const batch = await as(stranger, 'GET', `/users/public?username=ADA`);
    expect(batch.json()).toMatchObject({ profiles: [{ userId: ADA }], missing: [] });
    expectProblem(await app.inject({ url: `/users/${ADA}/public` }), 401, 'UNAUTHENTICATED');
    expectProblem(await app.inject({ url: '/users/public?username=ada' }), 401, 'UNAUTHENTICATED');
  });
});
