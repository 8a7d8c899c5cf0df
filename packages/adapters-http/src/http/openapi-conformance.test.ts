import { describeHttpApi } from '../testing/http-api.suite';
import {
  holdToDocument,
  OpenApiConformance,
  type OpenApiDocument,
} from '../testing/openapi-conformance';
import { buildTestApp } from '../testing/test-app';

/** Every disagreement between a response of the HTTP suite and the document the app serves. */
const disagreements = new Set<string>();
let checked = 0;
let conformance: OpenApiConformance | undefined;

describeHttpApi('the in-memory repository, every response held to /openapi.json', async () => {
  const { app, photos } = await buildTestApp();
  conformance ??= new OpenApiConformance(
    (await app.inject({ url: '/openapi.json' })).json() as OpenApiDocument,
  );
  const counter = holdToDocument(app, conformance, disagreements);
  return {
    app,
    photos,
    dispose: async () => {
      checked += counter.checked;
    },
  };
});

afterAll(() => {
  expect(checked).toBeGreaterThan(100);
  expect([...disagreements].sort()).toEqual([]);
});
