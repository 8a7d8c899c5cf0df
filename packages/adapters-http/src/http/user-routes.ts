import { withStorageDeadline } from '@userprofile/adapters-dynamo';
import type { Actor } from '@userprofile/domain';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Authenticator } from '../auth/authenticator';
import { ALL_ROUTES, type RouteDeclaration, type RouteId } from './routes';
import { storageDeadlineOf } from './storage-deadline';

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

/** The paths under `/users/` that are not profile ids. */
const NAMED_PATHS = new Set(['public', 'search']);

/** The `Cache-Control` of every `/users` answer. */
export const CACHE_CONTROL = 'private, no-cache';

/**
 * The seeds' paths, `/users` and `/users/{userId}` (and `/users/me`), as declared in `ROUTES`,
 * each bound to the controller method of its name, its storage calls held to the request's
 * deadline. Every one of them authenticates first, before the body is read; health checks and
 * CORS preflight are registered elsewhere and stay open.
 */
export function userRoutes(handlers: RouteHandlers, authenticator: Authenticator) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.decorateRequest('actor', null);
    // One hook, in this order (each async hook is a promise and a turn of the microtask queue
    // more on every request).
    app.addHook('onRequest', async (request, reply) => {
      // Personal data: no shared cache may keep it, and a private one revalidates
      // (If-None-Match) before each use. Set first, so that errors (401 included) carry it too.
      reply.header('cache-control', CACHE_CONTROL);
      // `/users/public` and `/users/search` name no profile: a method they have no route for is
      // their 405, as anywhere.
      const { userId } = request.params as { userId?: string };
      if (NAMED_PATHS.has(userId ?? '') && request.routeOptions.url === '/users/:userId') {
        reply.callNotFound();
        return reply;
      }
      request.actor = await authenticator.authenticate(request.headers.authorization);
      return undefined;
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
