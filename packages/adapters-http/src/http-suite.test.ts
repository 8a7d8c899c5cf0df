import { SharpImageProcessor } from '@userprofile/adapters-images';
import { InMemoryPhotoStore, InMemoryUserProfileRepository } from '@userprofile/domain/testing';
import { loadConfig } from './config';
import { describeHttpApi } from './testing/http-api.suite';
import { LogRecorder } from './testing/log-recorder';
import { ConformanceRecorder } from './testing/openapi-conformance';
import { inMemoryPhotoAccess } from './testing/photo-access';
import { RouteTrace } from './testing/route-trace';
import { buildTestApp } from './testing/test-app';
import { logPrivacyTests } from './robustness/log-privacy.cases';
import { tracedRouteTests } from './http/routes.cases';

/**
 * The HTTP suite (every route and error of the API) once on the in-memory store, with every
 * instrument on each request: the answer held to the served document, each repository and photo
 * store call traced to its route (held to ROUTES, which the grants derive from), and the log at
 * trace level searched for every personal value sent. The same suite runs on DynamoDB Local and a
 * local S3 server in app.int.test.ts.
 */
const conformance = new ConformanceRecorder();
const trace = new RouteTrace();
const log = new LogRecorder();

describeHttpApi('the in-memory repository, every answer checked', async () => {
  const store = new InMemoryPhotoStore();
  const { app, photos } = await buildTestApp(
    {
      repository: trace.spy(new InMemoryUserProfileRepository()),
      photos: { store: trace.spy(store, 'photoStore'), processor: new SharpImageProcessor() },
    },
    {},
    log.logger,
    inMemoryPhotoAccess(store, loadConfig({}).photos.publicUrl),
  );
  await conformance.attach(app);
  trace.attach(app);
  log.attach(app);
  return { app, photos };
});

tracedRouteTests(trace);
logPrivacyTests(log);

afterAll(() => {
  conformance.verify(100);
  trace.verify();
  log.verify();
});
