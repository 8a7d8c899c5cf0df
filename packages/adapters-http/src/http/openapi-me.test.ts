import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../testing/test-app';

type Document = {
  paths: Record<
    string,
    Record<
      string,
      {
        description?: string;
        parameters?: { in: string; name: string; schema: { pattern?: string } }[];
      }
    >
  >;
};

const JWT = { AUTH_MODE: 'jwt', AUTH_ISSUER: 'https://issuer.example.com', AUTH_AUDIENCE: 'app' };
const UUID = '0b5f3c1e-6c1d-4e0a-9d53-7c2a2f1b9e01';

/** Each operation's `userId` pattern, by operation. */
async function userIdPatterns(app: FastifyInstance): Promise<[string, RegExp][]> {
  const doc = (await app.inject({ url: '/openapi.json' })).json() as Document;
  return Object.entries(doc.paths).flatMap(([path, operations]) =>
    Object.entries(operations).flatMap(([method, operation]) =>
      (operation.parameters ?? [])
        .filter((p) => p.in === 'path' && p.name === 'userId')
        .map((p) => [`${method} ${path}`, new RegExp(p.schema.pattern ?? '')] as [string, RegExp]),
    ),
  );
}

describe('`me` in the served document', () => {
  it('is not offered in the open API, where nobody is signed in and /users/me is always 403', async () => {
    const { app } = await buildTestApp();
    try {
      expect((await app.inject({ url: '/users/me' })).statusCode).toBe(403);
      const patterns = await userIdPatterns(app);
      expect(patterns.length).toBeGreaterThan(5);
      for (const [operation, pattern] of patterns) {
        expect([operation, pattern.test('me'), pattern.test(UUID)]).toEqual([
          operation,
          false,
          true,
        ]);
      }
      expect((await app.inject({ url: '/openapi.json' })).body).not.toContain('`me`');
    } finally {
      await app.close();
    }
  });

  it('is offered for every profile operation in jwt mode, where it names the caller', async () => {
    const { app } = await buildTestApp({}, JWT);
    try {
      const patterns = await userIdPatterns(app);
      expect(patterns.length).toBeGreaterThan(5);
      for (const [operation, pattern] of patterns) {
        expect([operation, pattern.test('me'), pattern.test(UUID)]).toEqual([
          operation,
          true,
          true,
        ]);
      }
    } finally {
      await app.close();
    }
  });
});
