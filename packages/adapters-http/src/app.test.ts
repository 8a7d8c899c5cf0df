import { StorageUnavailable } from '@userprofile/domain';
import { InMemoryUserProfileRepository } from '@userprofile/domain/testing';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import { loadConfig } from './config';
import { createContainer } from './container';
import { expectProblem } from './testing/http-api.suite';
import { buildTestApp } from './testing/test-app';

let app: FastifyInstance;
beforeEach(async () => {
  ({ app } = await buildTestApp());
});
afterEach(() => app.close());

/** Another app for one test, closed after it whatever its assertions did. */
const others: FastifyInstance[] = [];
afterEach(() => Promise.all(others.splice(0).map((other) => other.close())));
async function anotherApp(...args: Parameters<typeof buildTestApp>): Promise<FastifyInstance> {
  const { app: other } = await buildTestApp(...args);
  others.push(other);
  return other;
}

describe('routing, CORS, health and docs', () => {
  it('answers unknown routes with 404 and wrong methods with 405 and Allow', async () => {
    expectProblem(await app.inject({ url: '/nope' }), 404, 'ROUTE_NOT_FOUND');
    const res = await app.inject({ method: 'DELETE', url: '/users' });
    expectProblem(res, 405, 'METHOD_NOT_ALLOWED');
    expect(res.headers.allow).toBe('GET, POST, OPTIONS');
    const onProfile = await app.inject({ method: 'POST', url: '/users/abc' });
    expectProblem(onProfile, 405, 'METHOD_NOT_ALLOWED');
    expect(onProfile.headers.allow).toBe('GET, PUT, PATCH, DELETE, OPTIONS');
    const onPhoto = await app.inject({ method: 'GET', url: '/users/abc/photo' });
    expectProblem(onPhoto, 405, 'METHOD_NOT_ALLOWED');
    expect(onPhoto.headers.allow).toBe('POST, PUT, DELETE, OPTIONS');
    expect((await app.inject({ method: 'POST', url: '/health' })).headers.allow).toBe('GET');
  });

  it.each(['/users', '/users/00000000-0000-4000-8000-000000000001'])(
    'answers CORS preflight on %s',
    async (url) => {
      const res = await app.inject({
        method: 'OPTIONS',
        url,
        headers: {
          origin: 'https://app.example.com',
          'access-control-request-method': 'PUT',
          'access-control-request-headers': 'if-match,content-type',
        },
      });
      expect(res.statusCode).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.headers['access-control-allow-methods']).toContain('PATCH');
      expect(res.headers['access-control-allow-headers']).toContain('if-match');
    },
  );

  it('restricts CORS to the configured origins', async () => {
    const strict = await anotherApp({}, { CORS_ORIGINS: 'https://app.example.com' });
    const allowed = await strict.inject({
      url: '/health',
      headers: { origin: 'https://app.example.com' },
    });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
    const other = await strict.inject({
      url: '/health',
      headers: { origin: 'https://evil.example.com' },
    });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('reports liveness and readiness', async () => {
    expect((await app.inject({ url: '/health' })).json()).toEqual({ status: 'ok' });
    expect((await app.inject({ url: '/health/ready' })).json()).toEqual({ status: 'ready' });
    const down = await anotherApp({
      readiness: async () => {
        throw new StorageUnavailable();
      },
    });
    const res = await down.inject({ url: '/health/ready' });
    expectProblem(res, 503, 'STORAGE_UNAVAILABLE');
    expect(res.headers['retry-after']).toBe('1');
  });

  it('warns in the log at start when the API is open (AUTH_MODE=none), and not in jwt mode', async () => {
    const warnings = async (env: NodeJS.ProcessEnv) => {
      const lines: string[] = [];
      const container = createContainer(loadConfig(env), {
        repository: new InMemoryUserProfileRepository(),
      });
      const logged = buildApp(container, {
        logger: { level: 'warn', stream: { write: (line: string) => lines.push(line) } },
      });
      await logged.ready();
      await logged.close();
      return lines.join('');
    };
    expect(await warnings({})).toMatch(/AUTH_MODE=none: the API is open/);
    expect(
      await warnings({
        AUTH_MODE: 'jwt',
        AUTH_ISSUER: 'https://issuer.example.com',
        AUTH_AUDIENCE: 'app',
      }),
    ).toBe('');
  });

  it('has no /users/me for the open API, whose caller is anonymous', async () => {
    expectProblem(await app.inject({ url: '/users/me' }), 403, 'FORBIDDEN');
  });

  it('serves an OpenAPI 3 document of every route, with named schemas and an id and description per operation', async () => {
    const doc = (await app.inject({ url: '/openapi.json' })).json() as {
      openapi: string;
      servers: unknown[];
      paths: Record<string, Record<string, Record<string, unknown>>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.servers).toHaveLength(1);
    expect(Object.keys(doc.paths['/users'] ?? {})).toEqual(expect.arrayContaining(['get', 'post']));
    expect(Object.keys(doc.paths['/users/{userId}'] ?? {})).toEqual(
      expect.arrayContaining(['get', 'put', 'patch', 'delete']),
    );
    expect(Object.keys(doc.paths['/users/{userId}/photo'] ?? {}).sort()).toEqual([
      'delete',
      'post',
      'put',
    ]);
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining([
        'UserProfile',
        'ProfilePhoto',
        'Problem',
        'PhotoUploadRequest',
        'UploadTicket',
        'PhotoCommit',
      ]),
    );
    const operations = Object.values(doc.paths).flatMap((methods) => Object.values(methods));
    expect(operations.map((o) => o.operationId).sort()).toEqual([
      'commitPhoto',
      'createProfile',
      'deleteProfile',
      'getHealth',
      'getProfile',
      'getPublicProfile',
      'getPublicProfiles',
      'getReadiness',
      'liftSuspension',
      'listProfiles',
      'listSuspensions',
      'patchProfile',
      'removePhoto',
      'searchProfiles',
      'startPhotoUpload',
      'suspendAccount',
      'updateProfile',
    ]);
    for (const operation of operations) expect(operation.description).toEqual(expect.any(String));
  });

  it('states the security of the running auth mode: none for the open API, a bearer token in jwt mode', async () => {
    const open = (await app.inject({ url: '/openapi.json' })).json() as Record<string, unknown>;
    expect(open.security).toEqual([]); // explicitly nothing required
    expect(JSON.stringify(open)).not.toContain('"bearer"');
    const jwtApp = await anotherApp(
      {},
      { AUTH_MODE: 'jwt', AUTH_ISSUER: 'https://issuer.example.com', AUTH_AUDIENCE: 'app' },
    );
    const doc = (await jwtApp.inject({ url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, { responses: object }>>;
    };
    expect(doc).toMatchObject({
      security: [{ bearer: [] }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      paths: { '/health': { get: { security: [] } } },
    });
    for (const [path, methods] of Object.entries(doc.paths).filter(([p]) =>
      p.startsWith('/users'),
    )) {
      for (const [method, operation] of Object.entries(methods)) {
        expect([path, method, Object.keys(operation.responses)]).toEqual([
          path,
          method,
          expect.arrayContaining(['401']),
        ]);
      }
    }
  });
});

describe('failures of the store', () => {
  class BrokenRepository extends InMemoryUserProfileRepository {
    constructor(private readonly failure: Error) {
      super();
    }
    override async get(): Promise<never> {
      throw this.failure;
    }
  }

  it('answers 503 with Retry-After when storage is unavailable', async () => {
    const down = await anotherApp({
      repository: new BrokenRepository(new StorageUnavailable()),
    });
    const res = await down.inject({ url: '/users/00000000-0000-4000-8000-000000000001' });
    expectProblem(res, 503, 'STORAGE_UNAVAILABLE');
    expect(res.headers['retry-after']).toBe('1');
  });

  it('answers an unexpected error with a 500 that leaks nothing', async () => {
    const broken = await anotherApp({
      repository: new BrokenRepository(new Error('secret table arn:aws:dynamodb:xyz')),
    });
    const res = await broken.inject({ url: '/users/00000000-0000-4000-8000-000000000001' });
    const body = expectProblem(res, 500, 'INTERNAL_ERROR');
    expect(JSON.stringify(body)).not.toContain('secret');
    expect(body.detail).toContain(res.headers['x-request-id'] as string);
  });
});
