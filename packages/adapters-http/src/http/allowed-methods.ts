import { ALL_ROUTES, type RouteDeclaration, type RouteId } from './routes';
import type { RouteHandlers } from './user-routes';

const METHOD_ORDER = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * The methods each path answers in this process, for 405 answers with an `Allow` header: the
 * routes it serves (a Lambda serves only its own; API Gateway sends it nothing else), CORS
 * preflight on the user paths, and the health checks.
 */
export function allowedMethods(
  handlers: RouteHandlers,
): readonly { pattern: RegExp; methods: string }[] {
  const byPath = new Map<string, Set<string>>();
  for (const [id, route] of Object.entries(ALL_ROUTES) as [RouteId, RouteDeclaration][]) {
    if (!handlers[id]) continue;
    byPath.set(route.path, (byPath.get(route.path) ?? new Set()).add(route.method));
  }
  // A path without parameters first: `/users/public` is not `/users/{userId}`.
  const paths = [...byPath]
    .sort(([a], [b]) => Number(a.includes('{')) - Number(b.includes('{')))
    .map(([path, methods]) => ({
      pattern: new RegExp(`^${path.replace(/\{\w+\}/g, '[^/]+')}/?$`),
      methods: [...METHOD_ORDER.filter((m) => methods.has(m)), 'OPTIONS'].join(', '),
    }));
  return [...paths, { pattern: /^\/health(\/ready)?\/?$/, methods: 'GET' }];
}
