// Route schemas carry OpenAPI fields (summary, tags, security), typed by @fastify/swagger.
import type {} from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import type { ReadinessCheck } from '../tokens';

/** Liveness (the process answers) and readiness (the table answers too). */
export function healthRoutes(ready: ReadinessCheck) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.get(
      '/health',
      { schema: { summary: 'Liveness', tags: ['health'], security: [] } },
      async () => ({
        status: 'ok',
      }),
    );
    app.get(
      '/health/ready',
      {
        schema: { summary: 'Readiness: the profile table answers', tags: ['health'], security: [] },
      },
      async () => {
        await ready();
        return { status: 'ready' };
      },
    );
  };
}
