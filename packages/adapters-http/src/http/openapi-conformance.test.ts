import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { describeHttpApi } from '../testing/http-api.suite';
import { OpenApiConformance, type OpenApiDocument } from '../testing/openapi-conformance';
import { buildTestApp } from '../testing/test-app';

/** Every disagreement between a response of the HTTP suite and the document the app serves. */
const disagreements = new Set<string>();
let checked = 0;
let conformance: OpenApiConformance | undefined;

describeHttpApi('the in-memory repository, every response held to /openapi.json', async () => {
  const { app } = await buildTestApp();
  conformance ??= new OpenApiConformance(
    (await app.inject({ url: '/openapi.json' })).json() as OpenApiDocument,
  );
  const served = conformance;
  const inject = app.inject.bind(app) as (
    o: InjectOptions | string,
  ) => Promise<LightMyRequestResponse>;
  Object.assign(app, {
    inject: async (options: InjectOptions | string) => {
      const o = typeof options === 'string' ? { url: options } : options;
      const res = await inject(options);
      checked++;
      for (const d of served.check(o.method ?? 'GET', String(o.url ?? '/'), res)) {
        disagreements.add(d.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '<id>'));
      }
      return res;
    },
  });
  return { app };
});

afterAll(() => {
  expect(checked).toBeGreaterThan(100);
  expect([...disagreements].sort()).toEqual([]);
});
