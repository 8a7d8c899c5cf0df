import { testUserId } from '@userprofile/domain/testing';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expectProblem } from './suite-context';
import { ConformanceRecorder } from './openapi-conformance';
import type { PhotoAccess } from './photo-access';
import { buildTestApp, newUser } from './test-app';
import { TEST_ADMIN_GROUP, TestIssuer } from './test-issuer';

export const ADA = testUserId(201);
export const ADA_EMAIL = 'userada@example.com';
export const BOB = testUserId(202);
export const ROOT = testUserId(299);

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A 401 with the RFC 6750 challenge; `error` is the token error the challenge must carry. */
export function expectUnauthenticated(res: LightMyRequestResponse, error?: string) {
  expectProblem(res, 401, 'UNAUTHENTICATED');
  const challenge = res.headers['www-authenticate'];
  expect(challenge).toMatch(/^Bearer realm="userprofile"/);
  if (error) expect(challenge).toContain(`error="${error}"`);
  else expect(challenge).not.toContain('error=');
}

/**
 * The suites of the jwt mode: a test issuer for the whole file, a fresh app on it for each test,
 * and every answer held to the document the jwt-mode app serves (at least `answers` of them).
 * The returned object's fields are the current test's.
 */
export function jwtAppSuite(answers: number) {
  const conformance = new ConformanceRecorder();
  const suite = {
    issuer: undefined as unknown as TestIssuer,
    app: undefined as unknown as FastifyInstance,
    photos: undefined as unknown as PhotoAccess,

    /** A request with `token` as its bearer; a PATCH body is a merge patch. */
    as(token: string, method: Method, url: string, body?: object) {
      const headers: Record<string, string> = { authorization: `Bearer ${token}` };
      if (body) {
        headers['content-type'] =
          method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
      }
      return suite.app.inject({ method, url, headers, ...(body ? { payload: body } : {}) });
    },

    /** An administrator's token. */
    admin: () => suite.issuer.idToken(ROOT, { groups: [TEST_ADMIN_GROUP] }),

    /** Ada's token, once her profile exists. */
    async adaWithProfile() {
      const token = await suite.issuer.idToken(ADA, { email: ADA_EMAIL });
      const created = await suite.as(token, 'POST', '/users', newUser('ada'));
      expect(created.statusCode).toBe(201);
      return token;
    },

    /** The test's app replaced by one with these settings. */
    async rebuild(env: NodeJS.ProcessEnv) {
      await suite.app.close();
      ({ app: suite.app, photos: suite.photos } = await buildTestApp({}, env));
      await conformance.attach(suite.app);
    },
  };

  beforeAll(async () => {
    suite.issuer = await TestIssuer.start();
  });
  afterAll(() => suite.issuer.stop());
  beforeEach(async () => {
    suite.issuer.available = true;
    suite.issuer.fetches = 0;
    ({ app: suite.app, photos: suite.photos } = await buildTestApp({}, suite.issuer.env()));
    await conformance.attach(suite.app);
  });
  afterEach(() => suite.app.close());
  afterAll(() => conformance.verify(answers));
  return suite;
}
