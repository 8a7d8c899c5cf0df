import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/** Interactive docs at `/docs`, for the local server (needs `openApiDocument` first). */
export function openApiUi(app: FastifyInstance): void {
  // The UI's pages carry their own Content-Security-Policy (the API's default-src 'none' would blank them).
  void app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
}
