import type { FastifyInstance } from 'fastify';
import { ALL_ROUTES as ROUTES, type RouteDeclaration, type RouteId } from '../http/routes';
import { tapInject, type Injected } from './inject-tap';

type Port = 'repository' | 'photoStore' | 'search';
type Traced = RouteId | 'no route' | 'outside a request';

/** The declared route a request reaches, if any (HEAD is served by GET). */
function routeOf(method: string, url: string): RouteId | undefined {
  const path = url.split('?')[0]!.replace(/\/$/, '');
  const m = method === 'HEAD' ? 'GET' : method;
  // A literal path before a templated one, as the router matches: `/users/public` first.
  const literalFirst = (id: RouteId) => Number(ROUTES[id].path.includes('{'));
  return (Object.keys(ROUTES) as RouteId[])
    .sort((a, b) => literalFirst(a) - literalFirst(b))
    .find(
      (id) =>
        ROUTES[id].method === m &&
        new RegExp(`^${ROUTES[id].path.replace('{userId}', '[^/]+')}$`).test(path),
    );
}

/**
 * Traces each repository and photo store call to the route whose request made it (a call is
 * traced when exactly one request is in flight), so that a test can hold the calls to ROUTES: the
 * declaration the Lambda functions' grants derive from.
 */
export class RouteTrace {
  private readonly inFlight = new Map<number, Traced>();
  private nextRequest = 0;
  private untraced = 0;
  readonly calls: { route: Traced; port: Port; method: string }[] = [];

  /** `target` with every method call recorded under the route in flight. */
  spy<T extends object>(target: T, port: Port = 'repository'): T {
    return new Proxy(target, {
      get: (object, property, receiver) => {
        const value = Reflect.get(object, property, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const routes = new Set(this.inFlight.values());
          if (routes.size > 1) this.untraced++;
          else {
            const route = [...routes][0] ?? 'outside a request';
            this.calls.push({ route, port, method: String(property) });
          }
          return (value as (...a: unknown[]) => unknown).apply(object, args);
        };
      },
    });
  }

  /** Every request of `app.inject` traced to the route its method and URL reach. */
  attach(app: FastifyInstance): void {
    const ids = new Map<Injected, number>();
    tapInject(app, {
      before: (request) => {
        const id = this.nextRequest++;
        ids.set(request, id);
        this.inFlight.set(id, routeOf(request.method, request.url) ?? 'no route');
      },
      after: (request) => this.inFlight.delete(ids.get(request)!),
    });
  }

  /** Runs `work` as a request of route `id` (for requests an app was not attached for). */
  async as<T>(id: RouteId, work: () => Promise<T>): Promise<T> {
    const n = this.nextRequest++;
    this.inFlight.set(n, id);
    try {
      return await work();
    } finally {
      this.inFlight.delete(n);
    }
  }

  /**
   * Every route called only the methods ROUTES declares for it, and every declared method was
   * called by some request.
   */
  verify(): void {
    expect(this.calls.length).toBeGreaterThan(100);
    expect(this.untraced).toBeLessThan(this.calls.length / 10);
    const declared = (id: RouteId, port: Port): readonly string[] =>
      (ROUTES[id] as RouteDeclaration)[port] ?? [];
    const undeclared = this.calls.filter(
      (c) =>
        c.route === 'outside a request' ||
        c.route === 'no route' ||
        !declared(c.route, c.port).includes(c.method),
    );
    expect(undeclared).toEqual([]);
    const unused = (Object.keys(ROUTES) as RouteId[]).flatMap((id) =>
      (['repository', 'photoStore', 'search'] as const).flatMap((port) =>
        declared(id, port)
          .filter(
            (m) => !this.calls.some((c) => c.route === id && c.port === port && c.method === m),
          )
          .map((m) => `${id}: ${port}.${m}`),
      ),
    );
    expect(unused).toEqual([]);
  }
}
