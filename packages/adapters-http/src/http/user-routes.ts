import type { FastifyInstance, FastifyRequest } from 'fastify';
import { routeSchemas } from './schemas';
import type { UserProfileController } from './user-profile-controller';

type WithId = FastifyRequest<{ Params: { userId: string } }>;

/** The seeds' paths, `/users` and `/users/{userId}`, bound to the controller. */
export function userRoutes(controller: UserProfileController) {
  return async function register(app: FastifyInstance): Promise<void> {
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
