import type { Actor } from '@userprofile/domain';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Authenticator } from '../auth/authenticator';
import { ROUTES, type RouteDeclaration, type RouteId } from './routes';
import { routeSchemas } from './schemas';
import type { UserProfileController } from './user-profile-controller';

type WithId = FastifyRequest<{ Params: { userId: string } }>;

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
/** The `Cache-Control` of every `/users` answer. */
export const CACHE_CONTROL = 'private, no-cache';

export function userRoutes(controller: UserProfileController, authenticator: Authenticator) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.decorateRequest('actor', null);
    // Personal data: no shared cache may keep it, and a private one revalidates (If-None-Match)
    // before each use. Set first, so that errors (401 included) carry it too.
    app.addHook('onRequest', async (_request, reply) => {
      reply.header('cache-control', CACHE_CONTROL);
    });
    app.addHook('onRequest', async (request) => {
      request.actor = await authenticator.authenticate(request.headers.authorization);
    });
    for (const [id, route] of Object.entries(ROUTES) as [RouteId, RouteDeclaration][]) {
      const handle = controller[id] as (request: WithId, reply: FastifyReply) => unknown;
      app.route({
        method: route.method,
        url: route.path.replace('{userId}', ':userId'),
        schema: routeSchemas[id],
        handler: (request, reply) => handle.call(controller, request as WithId, reply),
      });
    }
  };
}

/** Methods each path answers, for 405 answers with an `Allow` header. */
export const ALLOWED_METHODS: readonly { pattern: RegExp; methods: string }[] = [
  { pattern: /^\/users\/?$/, methods: 'GET, POST, OPTIONS' },
  { pattern: /^\/users\/[^/]+\/?$/, methods: 'GET, PUT, PATCH, DELETE, OPTIONS' },
  { pattern: /^\/health(\/ready)?\/?$/, methods: 'GET' },
];
