import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';

/** The OpenAPI 3 document, generated from the route schemas, at `/openapi.json`. */
export function openApiDocument(app: FastifyInstance): void {
  void app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'User-profile API',
        version: '1.0.0',
        description: 'Profiles for a mobile app. Errors are application/problem+json (RFC 9457).',
      },
      tags: [{ name: 'users' }, { name: 'health' }],
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description:
              'A Cognito ID or access token (AUTH_MODE=jwt). Without one: 401 with a WWW-Authenticate challenge. Not needed with AUTH_MODE=none.',
          },
        },
      },
      security: [{ bearer: [] }],
    },
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
