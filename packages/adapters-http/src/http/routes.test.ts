import { SharpImageProcessor } from '@userprofile/adapters-images';
import {
  InMemoryPhotoStore,
  InMemoryUserProfileRepository,
  testUserId,
} from '@userprofile/domain/testing';
import { loadConfig } from '../config';
import { inMemoryPhotoAccess } from '../testing/photo-access';
import { describeHttpApi } from '../testing/http-api.suite';
import { tapInject, type Injected } from '../testing/inject-tap';
import { buildTestApp } from '../testing/test-app';
import { TEST_ADMIN_GROUP, TestIssuer } from '../testing/test-issuer';
import { ROUTES, type RouteDeclaration, type RouteId } from './routes';

/** The declared route a request reaches, if any (HEAD is served by GET). */
function routeOf(method: string, url: string): keyof typeof ROUTES | undefined {
  const path = url.split('?')[0]!.replace(/\/$/, '');
  const m = method === 'HEAD' ? 'GET' : method;
  return (Object.keys(ROUTES) as (keyof typeof ROUTES)[]).find(
    (id) =>
      ROUTES[id].method === m &&
      new RegExp(`^${ROUTES[id].path.replace('{userId}', '[^/]+')}$`).test(path),
  );
}

/** The routes of the requests in flight: a call is traced when exactly one is. */
const inFlight = new Map<number, RouteId | 'no route'>();
let nextRequest = 0;
let untraced = 0;
type Port = 'repository' | 'photoStore';
/** Each repository and photo store call the suite's requests made, under the route that made it. */
const calls: { route: RouteId | 'no route' | 'outside a request'; port: Port; method: string }[] =
  [];

function spied<T extends object>(target: T, port: Port = 'repository'): T {
  return new Proxy(target, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const routes = new Set(inFlight.values());
        if (routes.size > 1) untraced++;
        else {
          const route = [...routes][0] ?? 'outside a request';
          calls.push({ route, port, method: String(property) });
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

describeHttpApi('the in-memory repository, each call traced to its route', async () => {
  const store = new InMemoryPhotoStore();
  const { app, photos } = await buildTestApp(
    {
      repository: spied(new InMemoryUserProfileRepository()),
      photos: { store: spied(store, 'photoStore'), processor: new SharpImageProcessor() },
    },
    {},
    false,
    inMemoryPhotoAccess(store, loadConfig({}).photos.publicUrl),
  );
  const ids = new Map<Injected, number>();
  tapInject(app, {
    before: (request) => {
      const id = nextRequest++;
      ids.set(request, id);
      inFlight.set(id, routeOf(request.method, request.url) ?? 'no route');
    },
    after: (request) => inFlight.delete(ids.get(request)!),
  });
  return { app, photos };
});

describe('a signed-in owner whose verified e-mail changed, traced', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await TestIssuer.start();
  });
  afterAll(() => issuer.stop());

  it('reads their profile, which keeps its address: the get route only reads; a write moves it', async () => {
    const { app } = await buildTestApp(
      { repository: spied(new InMemoryUserProfileRepository()) },
      issuer.env(),
    );
    try {
      const traced = (id: RouteId, run: () => Promise<unknown>) => {
        const n = nextRequest++;
        inFlight.set(n, id);
        return run().finally(() => inFlight.delete(n));
      };
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
      expect(calls.filter((c) => c.route === 'get').map((c) => c.method)).not.toContain('update');
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
        repository: spied(new InMemoryUserProfileRepository()),
        photos: { store: spied(store, 'photoStore'), processor: new SharpImageProcessor() },
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
        const n = nextRequest++;
        inFlight.set(n, id);
        try {
          const type =
            payload === undefined
              ? {}
              : method === 'PATCH'
                ? { 'content-type': 'application/merge-patch+json' }
                : json;
          return await app.inject({ method, url, headers: { ...headers, ...type }, payload });
        } finally {
          inFlight.delete(n);
        }
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

afterAll(() => {
  // Every route the suite drives calls only the repository methods ROUTES declares for it, and
  // every declared method is called by some request: the declaration the grants derive from.
  expect(calls.length).toBeGreaterThan(100);
  expect(untraced).toBeLessThan(calls.length / 10);
  const declared = (id: RouteId, port: Port): readonly string[] =>
    (ROUTES[id as keyof typeof ROUTES] as RouteDeclaration)[port] ?? [];
  const undeclared = calls.filter(
    (c) =>
      c.route === 'outside a request' ||
      c.route === 'no route' ||
      !declared(c.route, c.port).includes(c.method),
  );
  expect(undeclared).toEqual([]);
  const unused = (Object.keys(ROUTES) as RouteId[]).flatMap((id) =>
    (['repository', 'photoStore'] as const).flatMap((port) =>
      declared(id, port)
        .filter((m) => !calls.some((c) => c.route === id && c.port === port && c.method === m))
        .map((m) => `${id}: ${port}.${m}`),
    ),
  );
  expect(unused).toEqual([]);
});
