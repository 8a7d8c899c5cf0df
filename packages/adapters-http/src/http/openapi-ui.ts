import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/** Interactive docs at `/docs`, for the local server (needs `openApiDocument` first). */
export function openApiUi(app: FastifyInstance): void {
  void app.register(swaggerUi, { routePrefix: '/docs' });
}
