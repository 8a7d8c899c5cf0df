import { OpenApiConformance, type OpenApiDocument } from '../testing/openapi-conformance';
import { buildTestApp } from '../testing/test-app';
import { EXAMPLE_PROFILE } from './examples';

type Operations = Record<
  string,
  { responses: Record<string, { headers?: { Allow?: { schema: { enum: string[] } } } }> }
>;
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
const JWT = { AUTH_MODE: 'jwt', AUTH_ISSUER: 'https://issuer.example.com', AUTH_AUDIENCE: 'app' };

/** The `Allow` of a path's 405 as its operations document it: one value, or a mismatch. */
function documentedAllow(operations: Operations): string {
  const values = new Set(
    Object.values(operations).map((o) => o.responses['405']?.headers?.Allow?.schema.enum.join('|')),
  );
  return values.size === 1 ? String([...values][0]) : `differs: ${[...values].join(' / ')}`;
}

/**
 * Every documented path answers every method it does not have with the 405 its operations
 * document: problem+json, as the Problem schema has it, with the documented `Allow`, which names
 * the path's operations (and OPTIONS, the CORS preflight of the user paths).
 */
describe.each([
  ['none', {}],
  ['jwt', JWT],
] as const)('405 in the AUTH_MODE=%s document', (_mode, env) => {
  it('is what each path answers to each method it does not have', async () => {
    const { app } = await buildTestApp({}, env);
    try {
      const doc = (await app.inject({ url: '/openapi.json' })).json() as OpenApiDocument;
      const conformance = new OpenApiConformance(doc);
      const expected: string[] = [];
      const answers: string[] = [];
      for (const [path, operations] of Object.entries(doc.paths as Record<string, Operations>)) {
        const allow = documentedAllow(operations);
        const own = METHODS.filter((m) => operations[m.toLowerCase()]);
        expect([path, allow.replace(/, OPTIONS$/, '')]).toEqual([path, own.join(', ')]);
        const url = path.replace('{userId}', EXAMPLE_PROFILE.userId);
        for (const method of METHODS.filter((m) => !own.includes(m))) {
          const res = await app.inject({ method, url });
          const code = String(res.headers['content-type']).startsWith('application/problem+json')
            ? (res.json() as { code?: string }).code
            : res.body;
          expected.push(`${method} ${path}: 405 METHOD_NOT_ALLOWED ${allow}`);
          answers.push(`${method} ${path}: ${res.statusCode} ${code} ${res.headers.allow}`);
          // Held to the 405 the path's own operations document (status, headers, body).
          answers.push(...conformance.check(own[0]!, url, res));
        }
      }
      expect(expected.length).toBeGreaterThan(20);
      expect(answers).toEqual(expected);
    } finally {
      await app.close();
    }
  });
});
