import type { UserProfileRepository } from '@userprofile/domain';
import { InMemoryUserProfileRepository } from '@userprofile/domain/testing';
import { describeHttpApi } from '../testing/http-api.suite';
import { tapInject, type Injected } from '../testing/inject-tap';
import { buildTestApp } from '../testing/test-app';
import { ROUTES, type RouteId } from './routes';

/** The declared route a request reaches, if any (HEAD is served by GET). */
function routeOf(method: string, url: string): RouteId | undefined {
  const path = url.split('?')[0]!.replace(/\/$/, '');
  const m = method === 'HEAD' ? 'GET' : method;
  return (Object.keys(ROUTES) as RouteId[]).find(
    (id) =>
      ROUTES[id].method === m &&
      new RegExp(`^${ROUTES[id].path.replace('{userId}', '[^/]+')}$`).test(path),
  );
}

/** The routes of the requests in flight: a call is traced when exactly one is. */
const inFlight = new Map<number, RouteId | 'no route'>();
let nextRequest = 0;
let untraced = 0;
/** Each repository call the suite's requests made, under the route that made it. */
const calls: { route: RouteId | 'no route' | 'outside a request'; method: string }[] = [];

function spied(repository: UserProfileRepository): UserProfileRepository {
  return new Proxy(repository, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const routes = new Set(inFlight.values());
        if (routes.size > 1) untraced++;
        else calls.push({ route: [...routes][0] ?? 'outside a request', method: String(property) });
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

describeHttpApi('the in-memory repository, each call traced to its route', async () => {
  const { app } = await buildTestApp({ repository: spied(new InMemoryUserProfileRepository()) });
  const ids = new Map<Injected, number>();
  tapInject(app, {
    before: (request) => {
      const id = nextRequest++;
      ids.set(request, id);
      inFlight.set(id, routeOf(request.method, request.url) ?? 'no route');
    },
    after: (request) => inFlight.delete(ids.get(request)!),
  });
  return { app };
});

afterAll(() => {
  // Every route the suite drives calls only the repository methods ROUTES declares for it, and
  // every declared method is called by some request: the declaration the grants derive from.
  expect(calls.length).toBeGreaterThan(100);
  expect(untraced).toBeLessThan(calls.length / 10);
  const undeclared = calls.filter(
    (c) =>
      c.route === 'outside a request' ||
      c.route === 'no route' ||
      !(ROUTES[c.route].repository as readonly string[]).includes(c.method),
  );
  expect(undeclared).toEqual([]);
  const unused = (Object.keys(ROUTES) as RouteId[]).flatMap((id) =>
    ROUTES[id].repository
      .filter((m) => !calls.some((c) => c.route === id && c.method === m))
      .map((m) => `${id}: ${m}`),
  );
  expect(unused).toEqual([]);
});
