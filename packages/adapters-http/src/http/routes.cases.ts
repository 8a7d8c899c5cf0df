import { SharpImageProcessor } from '@userprofile/adapters-images';
import {
  InMemoryPhotoStore,
  InMemoryProfileSearch,
  InMemoryUserProfileRepository,
  testUserId,
} from '@userprofile/domain/testing';
import { newUserProfile } from '@userprofile/domain';
import type { LightMyRequestResponse } from 'fastify';
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

  describe('the search (administrators), traced', () => {
    let issuer: TestIssuer;
    beforeAll(async () => {
      issuer = await TestIssuer.start();
    });
    afterAll(() => issuer.stop());

    /** The app in jwt mode (or open), on a traced in-memory repository and search. */
    async function searchApp(env: NodeJS.ProcessEnv) {
      const memory = new InMemoryUserProfileRepository();
      const { app } = await buildTestApp(
        {
          repository: trace.spy(memory),
          search: trace.spy(new InMemoryProfileSearch(() => memory.all()), 'search'),
        },
        env,
      );
      return { app, memory };
    }
    const problem = (res: LightMyRequestResponse) => {
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      return res.json<{ status: number; code: string; errors?: { field: string }[] }>();
    };

    it('finds profiles newest first for an admin, pages to the end, and is 403 for others', async () => {
      const { app, memory } = await searchApp(issuer.env());
      try {
        const admin = {
          authorization: `Bearer ${await issuer.idToken(testUserId(30), { groups: [TEST_ADMIN_GROUP] })}`,
        };
        const get = (url: string, headers = admin) =>
          trace.as('search', () => app.inject({ url, headers }));
        const now = Date.now();
        for (const [n, [first, last]] of [
          ['José', 'Núñez'],
          ['Jose', 'Nunes'],
          ['Ada', 'Lovelace'],
        ].entries()) {
          const fields = { email: `p${n}@example.org`, firstName: first, lastName: last };
          await memory.create(
            newUserProfile(fields, { userId: testUserId(40 + n), now: new Date(now + n) }),
          );
        }
        const first = await get('/users/search?name=JOSE%20nu&limit=1');
        expect(first.statusCode).toBe(200);
        const page = first.json<{
          users: { lastName: string }[];
          count: number;
          lastKey?: string;
        }>();
        expect(page).toMatchObject({ count: 1, users: [{ lastName: 'Nunes' }] });
        const next = await get(
          `/users/search?name=JOSE%20nu&limit=1&lastKey=${encodeURIComponent(page.lastKey!)}`,
        );
        expect(next.json()).toMatchObject({ count: 1, users: [{ lastName: 'Núñez' }] });
        expect(next.json<{ lastKey?: string }>().lastKey).toBeUndefined();
        const domain = await get('/users/search?emailDomain=example.org&active=true');
        expect(domain.json<{ count: number }>().count).toBe(3);
        // Nobody is suspended: the filter answers none, and "maybe" is a 400 naming it.
        const suspended = await get('/users/search?emailDomain=example.org&suspended=true');
        expect(suspended.json<{ count: number }>().count).toBe(0);
        const notSuspended = await get('/users/search?emailDomain=example.org&suspended=false');
        expect(notSuspended.json<{ count: number }>().count).toBe(3);
        const bad = await get('/users/search?emailDomain=example.org&suspended=maybe');
        expect(problem(bad).errors?.map((e) => e.field)).toEqual(['suspended']);
        // Another search's cursor, and the list's: 400 naming lastKey.
        for (const url of [
          `/users/search?name=jose&lastKey=${encodeURIComponent(page.lastKey!)}`,
          '/users/search?name=jose&lastKey=v1.eyJrIjoiMjAyNi0wMS0wMVQwMDowMDowMC4wMDBaIzEifQ',
        ]) {
          const res = await get(url);
          expect(res.statusCode).toBe(400);
          expect(problem(res).errors?.map((e) => e.field)).toEqual(['lastKey']);
        }
        const user = { authorization: `Bearer ${await issuer.idToken(testUserId(31))}` };
        const forbidden = await get('/users/search?name=ada', user);
        expect(forbidden.statusCode).toBe(403);
        expect(problem(forbidden).code).toBe('FORBIDDEN');
      } finally {
        await app.close();
      }
    });

    it.each([
      ['', ['name', 'email', 'emailDomain', 'username']],
      ['name=a&email=b', ['name', 'email']],
      ['name=%CC%81', ['name']],
      [`username=${'x'.repeat(101)}`, ['username']],
      ['name=a&createdAfter=yesterday&createdBefore=2026-01-01', ['createdAfter', 'createdBefore']],
      ['name=a&createdBefore=2026-02-30T00:00:00Z', ['createdBefore']],
      ['name=a&active=maybe&limit=101', ['active', 'limit']],
      ['name=a&lastKey=not-a-cursor', ['lastKey']],
      ['name=a&name=b', ['name']],
    ])('answers ?%s with a 400 problem naming %p, in open mode too', async (query, fields) => {
      const { app } = await searchApp({});
      try {
        const res = await trace.as('search', () => app.inject({ url: `/users/search?${query}` }));
        expect(res.statusCode).toBe(400);
        const body = problem(res);
        expect(body.code).toBe('VALIDATION_FAILED');
        expect(body.errors?.map((e) => e.field)).toEqual(fields);
      } finally {
        await app.close();
      }
    });

    it('answers other methods on /users/search with 405, never as a profile id', async () => {
      const { app } = await searchApp({});
      try {
        const res = await app.inject({ method: 'DELETE', url: '/users/search' });
        expect(res.statusCode).toBe(405);
        expect(res.headers.allow).toBe('GET, OPTIONS');
      } finally {
        await app.close();
      }
    });
  });
}
