import {
  DynamoChangeEventStore,
  DynamoUserProfileRepository,
  DynamoWebhookRegistry,
} from '@userprofile/adapters-dynamo';
import {
  createEventTestTable,
  createTestTable,
  testClients,
} from '@userprofile/adapters-dynamo/testing';
import { SharpImageProcessor } from '@userprofile/adapters-images';
import {
  InMemoryChangeEventStore,
  InMemoryPhotoStore,
  InMemoryWebhookRegistry,
} from '@userprofile/domain/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  exampleRequests,
  missingExamples,
  storeExampleProfiles,
  storeExampleWebhooks,
  type ExampleDocument,
} from '../testing/example-requests';
import { exampleToken } from '../testing/example-tokens';
import { TestIssuer } from '../testing/test-issuer';
import { buildTestApp } from '../testing/test-app';
import { EXAMPLE_PROFILE, EXAMPLE_UPLOAD_ID } from './examples';
import { ALL_ROUTES } from './routes';

const samplePhoto = readFileSync(join(__dirname, '../../../../docs/sample-photo.jpg'));
/**
 * The document's examples drive the API: every parameter and request body of the served document
 * (every route's, the change feed's too, as the local server serves them) has one, in each auth
 * mode, and each request made of them, sent to the app on DynamoDB Local (whose cursors the
 * `lastKey`, `after` and `cursor` examples are) holding the profiles, the upload and the webhook
 * endpoints the examples name, gets the operation's documented success.
 */
describe.each(['none', 'jwt'] as const)('the examples of the AUTH_MODE=%s document', (mode) => {
  let issuer: TestIssuer | undefined;
  let doc: ExampleDocument;
  beforeAll(async () => {
    if (mode === 'jwt') issuer = await TestIssuer.start();
    const { app } = await buildTestApp(
      { events: new InMemoryChangeEventStore(), webhooks: new InMemoryWebhookRegistry() },
      issuer?.env() ?? {},
    );
    doc = (await app.inject({ url: '/openapi.json' })).json() as ExampleDocument;
    await app.close();
  });
  afterAll(async () => issuer?.stop());

  it('are those of a document with every route', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const routes = Object.values(ALL_ROUTES).map((r) => `${r.method} ${r.path}`);
    expect(documented).toEqual(expect.arrayContaining(routes));
  });

  it('name a value for every parameter and every request body', () => {
    expect(missingExamples(doc)).toEqual([]);
  });

  it('each get the documented success from the app', async () => {
    const requests = exampleRequests(doc);
    expect(requests.length).toBeGreaterThan(25);
    const answers: string[] = [];
    for (const request of requests) {
      const table = await createTestTable();
      const eventTable = await createEventTestTable();
      const { documentClient } = testClients();
      const repository = new DynamoUserProfileRepository(documentClient, table);
      const webhooks = new DynamoWebhookRegistry(documentClient, eventTable.tableName);
      const store = new InMemoryPhotoStore();
      const { app } = await buildTestApp(
        {
          repository,
          events: new DynamoChangeEventStore(documentClient, eventTable.tableName),
          webhooks,
          photos: { store, processor: new SharpImageProcessor() },
        },
        issuer?.env() ?? {},
      );
      try {
        await storeExampleProfiles(repository);
        await storeExampleWebhooks(webhooks);
        store.upload(EXAMPLE_PROFILE.userId, EXAMPLE_UPLOAD_ID, samplePhoto);
        const token = issuer && (await exampleToken(issuer, request));
        const auth = token ? { authorization: `Bearer ${token}` } : {};
        const res = await app.inject({
          method: request.method as 'GET',
          url: request.url,
          headers: { ...request.headers, ...auth },
          ...(request.body === undefined ? {} : { payload: request.body }),
        });
        answers.push(`${request.method} ${request.url} -> ${res.statusCode}`);
        if (res.statusCode !== request.expected) answers.push(`  ${res.body}`);
      } finally {
        await app.close();
        await table.drop();
        await eventTable.drop();
      }
    }
    expect(answers).toEqual(requests.map((r) => `${r.method} ${r.url} -> ${r.expected}`));
  }, 120_000);
});
