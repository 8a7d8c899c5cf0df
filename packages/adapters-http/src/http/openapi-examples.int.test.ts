import { DynamoUserProfileRepository } from '@userprofile/adapters-dynamo';
import { createTestTable, testClients } from '@userprofile/adapters-dynamo/testing';
import { SharpImageProcessor } from '@userprofile/adapters-images';
import { InMemoryPhotoStore } from '@userprofile/domain/testing';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  exampleRequests,
  missingExamples,
  storeExampleProfiles,
  type ExampleDocument,
  type ExampleRequest,
} from '../testing/example-requests';
import { TEST_ADMIN_GROUP, TestIssuer } from '../testing/test-issuer';
import { buildTestApp } from '../testing/test-app';
import {
  EXAMPLE_FIXTURES,
  EXAMPLE_PROFILE,
  EXAMPLE_UPLOAD_ID,
  OPERATION_EXAMPLES,
} from './examples';

const samplePhoto = readFileSync(join(__dirname, '../../../../docs/sample-photo.jpg'));
/** Administrators' operations: a signed-in user reaches them with an administrator's token. */
const ADMINS = new Set(['listProfiles', 'suspendAccount', 'liftSuspension', 'listSuspensions']);

/**
 * In jwt mode, the token each example goes with: an administrator's for their operations, the
 * creator's (with the example's e-mail verified) for a create, the profile owner's for the
 * operations on a profile, none for the health checks.
 */
async function tokenFor(issuer: TestIssuer, request: ExampleRequest): Promise<string | undefined> {
  if (request.url.startsWith('/health')) return undefined;
  if (ADMINS.has(request.operationId)) {
    return issuer.idToken(randomUUID(), { groups: [TEST_ADMIN_GROUP] });
  }
  const body = request.body === undefined ? {} : (JSON.parse(request.body) as { email?: string });
  if (request.operationId === 'createProfile') {
    return issuer.idToken(randomUUID(), { email: body.email });
  }
  const userId = OPERATION_EXAMPLES[request.operationId]?.userId;
  const owner = EXAMPLE_FIXTURES.find((f) => f.userId === userId);
  if (!owner) throw new Error(`No example profile owns ${request.operationId}`);
  return issuer.idToken(owner.userId, { email: owner.email });
}

/**
 * The document's examples drive the API: every parameter and request body of the served document
 * has one, in each auth mode, and each request made of them, sent to the app on DynamoDB Local
 * (whose cursor the `lastKey` example is) holding the profiles and the upload the examples name,
 * gets the operation's documented success.
 */
describe.each(['none', 'jwt'] as const)('the examples of the AUTH_MODE=%s document', (mode) => {
  let issuer: TestIssuer | undefined;
  let doc: ExampleDocument;
  beforeAll(async () => {
    if (mode === 'jwt') issuer = await TestIssuer.start();
    const { app } = await buildTestApp({}, issuer?.env() ?? {});
    doc = (await app.inject({ url: '/openapi.json' })).json() as ExampleDocument;
    await app.close();
  });
  afterAll(async () => issuer?.stop());

  it('name a value for every parameter and every request body', () => {
    expect(missingExamples(doc)).toEqual([]);
  });

  it('each get the documented success from the app', async () => {
    const requests = exampleRequests(doc);
    expect(requests.length).toBeGreaterThan(15);
    const answers: string[] = [];
    for (const request of requests) {
      const table = await createTestTable();
      const repository = new DynamoUserProfileRepository(
        testClients().documentClient,
        table.tableName,
      );
      const store = new InMemoryPhotoStore();
      const { app } = await buildTestApp(
        { repository, photos: { store, processor: new SharpImageProcessor() } },
        issuer?.env() ?? {},
      );
      try {
        await storeExampleProfiles(repository);
        store.upload(EXAMPLE_PROFILE.userId, EXAMPLE_UPLOAD_ID, samplePhoto);
        const token = issuer && (await tokenFor(issuer, request));
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
      }
    }
    expect(answers).toEqual(requests.map((r) => `${r.method} ${r.url} -> ${r.expected}`));
  }, 120_000);
});
