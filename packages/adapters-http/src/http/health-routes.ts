// Route schemas carry OpenAPI fields (summary, tags, security), typed by @fastify/swagger.
import type {} from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import type { ReadinessCheck } from '../tokens';

const statusBody = (status: string) => ({
  description: `Answers \`{"status":"${status}"}\`.`,
  type: 'object',
  required: ['status'],
  properties: { status: { type: 'string', enum: [status] } },
});

/** Liveness (the process answers) and readiness (the table answers too). */
export function healthRoutes(ready: ReadinessCheck) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.get(
      '/health',
      {
        schema: {
          operationId: 'getHealth',
          summary: 'Liveness',
          description: 'The process answers.',
          tags: ['health'],
          security: [],
          response: { 200: statusBody('ok') },
        },
      },
      async () => ({
        status: 'ok',
      }),
    );
    app.get(
      '/health/ready',
      {
        schema: {
          operationId: 'getReadiness',
          summary: 'Readiness: the profile table answers',
          description: 'The process answers and so does the profile table; 503 when it does not.',
          tags: ['health'],
          security: [],
          response: {
            200: statusBody('ready'),
            503: {
              description: 'The table does not answer.',
              headers: {
                'Retry-After': {
                  type: 'string',
                  pattern: '^[0-9]+$',
                  description: 'Seconds to wait before retrying.',
                  required: true,
                },
              },
              content: { 'application/problem+json': { schema: { $ref: 'Problem#' } } },
            },
          },
        },
      },
      async () => {
        await ready();
        return { status: 'ready' };
      },
    );
  };
}
