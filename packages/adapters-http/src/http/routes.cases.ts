import { SharpImageProcessor } from '@userprofile/adapters-images';
import {
  InMemoryPhotoStore,
  InMemoryUserProfileRepository,
  testUserId,
} from '@userprofile/domain/testing';
import type { RouteTrace } from '../testing/route-trace';
import { buildTestApp } from '../testing/test-app';
import { TEST_ADMIN_GROUP, TestIssuer } from '../testing/test-issuer';
import type { RouteId } from './routes';

/**
 * Routes the open-API suite cannot reach (jwt mode: `me`, suspensions), traced by the HTTP
 * suite's `trace` so that its check of ROUTES covers them (http-suite.test.ts).
 */
export function tracedRouteTests(trace: RouteTrace): void {
  describe('a signed-in owner whose verified e-mail changed, traced', () => {
    let issuer: TestIssuer;
    beforeAll(async () => {
      issuer = await TestIssuer.start();
    });
    afterAll(() => issuer.stop());

    it('reads their profile, which keeps its address: the get route only reads; a write moves it', async () => {
      const { app } = await buildTestApp(
        { repository: trace.spy(new InMemoryUserProfileRepository()) },
        issuer.env(),
      );
      try {
        const traced = (id: RouteId, run: () => Promise<unknown>) => trace.as(id, run);
        const sub = testUserId(7);
        const issued = Math.floor(Date.now() / 1000);
        const before = await issuer.idToken(sub, {
          email: 'old@example.com',
          claims: { iat: issued - 60 },
        });
        const created = await traced('create', () =>
          app.inject({
            method: 'POST',
            url: '/users',
            headers: { authorization: `Bearer ${before}` },
            payload: { firstName: 'A', lastName: 'B' },
          }),
        );
        expect(created).toMatchObject({ statusCode: 201 });
        const after = await issuer.idToken(sub, {
          email: 'new@example.com',
          claims: { iat: issued - 30 },
        });
        const read = (await traced('get', () =>
          app.inject({ url: '/users/me', headers: { authorization: `Bearer ${after}` } }),
        )) as { json: () => unknown };
        expect(read.json()).toMatchObject({ email: 'old@example.com', version: 1 });
        expect(trace.calls.filter((c) => c.route === 'get').map((c) => c.method)).not.toContain(
          'update',
        );
        const written = (await traced('patch', () =>
          app.inject({
            method: 'PATCH',
            url: '/users/me',
            headers: {
              authorization: `Bearer ${after}`,
              'content-type': 'application/merge-patch+json',
            },
            payload: { firstName: 'C' },
          }),
        )) as { json: () => unknown };
        expect(written.json()).toMatchObject({ email: 'new@example.com', version: 2 });
      } finally {
        await app.close();
      }
    });
  });

  describe('suspensions and suspended owners, traced', () => {
    let issuer: TestIssuer;
    beforeAll(async () => {
      issuer = await TestIssuer.start();
    });
    afterAll(() => issuer.stop());

    it('read the subject’s record on every write of its owner, and write it on an admin’s', async () => {
      const store = new InMemoryPhotoStore();
      const { app } = await buildTestApp(
        {
          repository: trace.spy(new InMemoryUserProfileRepository()),
          photos: { store: trace.spy(store, 'photoStore'), processor: new SharpImageProcessor() },
        },
        issuer.env(),
      );
      try {
        const sub = testUserId(8);
        const user = { authorization: `Bearer ${await issuer.idToken(sub)}` };
        const admin = {
          authorization: `Bearer ${await issuer.idToken(testUserId(9), { groups: [TEST_ADMIN_GROUP] })}`,
        };
        const json = { 'content-type': 'application/json' };
        const send = async (
          id: RouteId,
          method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
          url: string,
          headers: Record<string, string>,
          payload?: object,
        ) => {
          const type =
            payload === undefined
              ? {}
              : method === 'PATCH'
                ? { 'content-type': 'application/merge-patch+json' }
                : json;
          return trace.as(id, () =>
            app.inject({ method, url, headers: { ...headers, ...type }, payload }),
          );
        };
        const statuses: number[] = [];
        const run = async (...args: Parameters<typeof send>) =>
          statuses.push((await send(...args)).statusCode);
        await run('create', 'POST', '/users', user, { firstName: 'A', lastName: 'B' });
        const ticket = { contentType: 'image/jpeg', contentLength: 100 };
        await run('startPhotoUpload', 'POST', '/users/me/photo', user, ticket);
        await run('removePhoto', 'DELETE', '/users/me/photo', user);
        await run('patch', 'PATCH', `/users/${sub}`, admin, { blocked: true });
        await run('commitPhoto', 'PUT', '/users/me/photo', user, { uploadId: testUserId(10) });
        await run('update', 'PUT', `/users/${sub}`, admin, { blocked: false });
        await run('suspend', 'PUT', `/users/${sub}/suspension`, admin, { reason: 'SPAM' });
        await run('list', 'GET', '/users?suspended=true', admin);
        await run('suspensions', 'GET', `/users/${sub}/suspensions`, admin);
        await run('liftSuspension', 'DELETE', `/users/${sub}/suspension`, admin);
        expect(statuses).toEqual([201, 201, 204, 200, 403, 200, 200, 200, 200, 204]);
      } finally {
        await app.close();
      }
    });
  });
}
