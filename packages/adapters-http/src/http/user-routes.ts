import type { Actor } from '@userprofile/domain';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Authenticator } from '../auth/authenticator';
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
 * The seeds' paths, `/users` and `/users/{userId}` (and `/users/me`), bound to the controller.
 * Every one of them authenticates first, before the body is read; health checks and CORS
 * preflight are registered elsewhere and stay open.
 */
export function userRoutes(controller: UserProfileController, authenticator: Authenticator) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.decorateRequest('actor', null);
    app.addHook('onRequest', async (request) => {
      request.actor = await authenticator.authenticate(request.headers.authorization);
    });
    app.post('/users', { schema: routeSchemas.create }, (req, reply) =>
      controller.create(req, reply),
    );
    app.get('/users', { schema: routeSchemas.list }, (req) => controller.list(req));
    app.get('/users/:userId', { schema: routeSchemas.get }, (req, reply) =>
      controller.get(req as WithId, reply),
    );
    app.put('/users/:userId', { schema: routeSchemas.replace }, (req, reply) =>
      controller.replace(req as WithId, reply),
    );
    app.patch('/users/:userId', { schema: routeSchemas.patch }, (req, reply) =>
      controller.patch(req as WithId, reply),
    );
    app.delete('/users/:userId', { schema: routeSchemas.remove }, (req, reply) =>
      controller.remove(req as WithId, reply),
    );
  };
}

/** Methods each path answers, for 405 answers with an `Allow` header. */
export const ALLOWED_METHODS: readonly { pattern: RegExp; methods: string }[] = [
  { pattern: /^\/users\/?$/, methods: 'GET, POST, OPTIONS' },
  { pattern: /^\/users\/[^/]+\/?$/, methods: 'GET, PUT, PATCH, DELETE, OPTIONS' },
  { pattern: /^\/health(\/ready)?\/?$/, methods: 'GET' },
];
