import { withStorageDeadline } from '@userprofile/adapters-dynamo';
import type { Actor } from '@userprofile/domain';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Authenticator } from '../auth/authenticator';
import { ALL_ROUTES, type RouteDeclaration, type RouteId } from './routes';

type WithId = FastifyRequest<{ Params: { userId: string } }>;

/** A handler per route id: the controller methods of the same names. */
export type RouteHandlers = Partial<
  Record<RouteId, (request: WithId, reply: FastifyReply) => unknown>
>;

/** The route id a registered route carries in its config: the OpenAPI document's key to it. */
export interface RouteConfig {
  readonly routeId: RouteId;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling; set by the authentication hook of the user routes before anything else. */
    actor: Actor | null;
  }
}

/**
 * The seeds' paths, `/users` and `/users/{userId}` (and `/users/me`), as declared in `ROUTES`,
 * each bound to the controller method of its name.
 * Every one of them authenticates first, before the body is read; health checks and CORS
 * preflight are registered elsewhere and stay open.
 */
/** The paths under `/users/` that are not profile ids. */
const NAMED_PATHS = new Set(['public', 'search']);

/** The `Cache-Control` of every `/users` answer. */
export const CACHE_CONTROL = 'private, no-cache';

export function userRoutes(handlers: RouteHandlers, authenticator: Authenticator) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.decorateRequest('actor', null);
    // Personal data: no shared cache may keep it, and a private one revalidates (If-None-Match)
    // before each use. Set first, so that errors (401 included) carry it too.
    app.addHook('onRequest', async (_request, reply) => {
      reply.header('cache-control', CACHE_CONTROL);
    });
    // `/users/public` and `/users/search` name no profile: a method they have no route for is
    // their 405, as anywhere.
    app.addHook('onRequest', async (request, reply) => {
      const { userId } = request.params as { userId?: string };
      if (NAMED_PATHS.has(userId ?? '') && request.routeOptions.url === '/users/:userId') {
        reply.callNotFound();
        return reply;
      }
      return undefined;
    });
    app.addHook('onRequest', async (request) => {
      request.actor = await authenticator.authenticate(request.headers.authorization);
    });
    for (const [id, route] of Object.entries(ALL_ROUTES) as [RouteId, RouteDeclaration][]) {
      // A process without the photo store (a Lambda of the other routes) is never sent these.
      const handle = handlers[id];
      if (!handle) continue;
      app.route({
        method: route.method,
        url: route.path.replace(/\{(\w+)\}/g, ':$1'),
        // No schema here: requests are validated by the DTOs and the domain, answers serialised
        // as they are; the OpenAPI extension (listening server only) attaches each route's part
        // of the document by this id, so the Lambda bundles carry none of it.
        config: { routeId: id } satisfies RouteConfig,
        handler: (request, reply) =>
          withStorageDeadline(storageDeadlineOf(request), () => handle(request as WithId, reply)),
      });
    }
  };
}

/**
 * How long a request's storage calls may take, all retries included, where no Lambda says: well
 * within the listening server's 15 s request timeout.
 */
const STORAGE_BUDGET_MS = 8_000;
/**
 * What a Lambda keeps back from its remaining time: the attempt in flight at the deadline may
 * still take its connection and request timeouts (1 s each), then the 503 must be written.
 */
const LAMBDA_ANSWER_MARGIN_MS = 2_500;

/** When this request's storage calls must stop, so that it answers 503 rather than time out. */
function storageDeadlineOf(request: FastifyRequest): number {
  const lambda = (request as { awsLambda?: { context?: { getRemainingTimeInMillis?: unknown } } })
    .awsLambda?.context;
  // Any caller of the handler may pass a context of its own: use the remaining time only if told.
  const remaining =
    typeof lambda?.getRemainingTimeInMillis === 'function'
      ? Number((lambda.getRemainingTimeInMillis as () => number)())
      : undefined;
  const budget =
    remaining !== undefined && Number.isFinite(remaining)
      ? Math.max(0, remaining - LAMBDA_ANSWER_MARGIN_MS)
      : STORAGE_BUDGET_MS;
  return Date.now() + budget;
}

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
