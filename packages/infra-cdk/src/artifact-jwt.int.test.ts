import { createTestTable, testEndpoint } from '@userprofile/adapters-dynamo/testing';
import { crudWalk, type RequestSpec } from '@userprofile/adapters-http/testing-events';
import { TEST_ADMIN_GROUP, TestIssuer } from '@userprofile/adapters-http/testing-issuer';
import { testUserId } from '@userprofile/domain/testing';
import { bearer, serveRoutes } from './testing/api-requests';
import { PHOTO_FUNCTIONS, PROFILE_FUNCTIONS, synthesizedAssembly } from './testing/cloud-assembly';

const ADA = testUserId(301);
const ROOT = testUserId(399);

/**
 * `cdk synth` as a user runs it (offline, no AWS credentials), then the Lambda asset it would
 * deploy, loaded in a fresh Node process and driven with API Gateway REST events, on DynamoDB Local,
 * verifying tokens as in AWS.
 */
describe('the synthesized cloud assembly: Cognito tokens verified by the API functions', () => {
  const assembly = synthesizedAssembly();
  const lean = PROFILE_FUNCTIONS;
  const photoNames = PHOTO_FUNCTIONS;

  it('has every function verify Cognito tokens (AUTH_MODE=jwt) from the stack, with no development key', () => {
    for (const name of [...lean, ...photoNames]) {
      const env = assembly.environmentOf(name);
      expect(env).toMatchObject({ AUTH_MODE: 'jwt', AUTH_ADMIN_GROUP: 'admin' });
      expect(JSON.stringify(env.AUTH_ISSUER)).toContain('https://cognito-idp.');
      expect(env).not.toHaveProperty('AUTH_DEV_KEYS');
    }
  });

  it('serves create, get, list, update and delete through that bundle in jwt mode, with tokens minted by the test', async () => {
    const t = await createTestTable();
    const issuer = await TestIssuer.start();
    try {
      const user = await bearer(issuer, ADA, { email: 'artifact@example.com' });
      const admin = await bearer(issuer, ROOT, { groups: [TEST_ADMIN_GROUP] });
      const walk = crudWalk('artifact@example.com').map((spec) => ({
        ...spec,
        // The profile's id is the token's subject: known before the create, in every process.
        path: spec.path.replace('{{userId}}', ADA),
        // Listing is for admins; everything else the user does to their own profile.
        headers: {
          ...spec.headers,
          ...(spec.path === '/users' && spec.method === 'GET' ? admin : user),
        },
      }));
      const refused: RequestSpec[] = [
        { method: 'GET', path: '/users/me' },
        { method: 'GET', path: '/users', headers: user },
        { method: 'GET', path: `/users/${ROOT}`, headers: user },
        { method: 'GET', path: '/users/me', headers: { authorization: 'Bearer not.a.token' } },
      ];
      const env = {
        TABLE_NAME: t.tableName,
        // As the stack sets it on the functions that write profiles (this env serves them all).
        SEARCH_TABLE_NAME: t.searchTableName,
        ENVIRONMENT: 'dev',
        DYNAMODB_ENDPOINT: testEndpoint(),
        AWS_REGION: 'us-east-1',
        LOG_LEVEL: 'warn',
        PHOTOS_URL: 'https://photos.example.com',
        PHOTOS_BUCKET: 'photos-bucket',
        ...issuer.env(),
      };
      // Create, read, list and update through the profile routes' bundle; delete (and the read
      // after it) through the photo bundle, which deletes photos too.
      const responses = [
        ...(await serveRoutes(assembly.assetOf(lean[0]!), walk.slice(0, 4), env)),
        ...(await serveRoutes(assembly.assetOf(photoNames[0]!), walk.slice(4), env)),
        ...(await serveRoutes(assembly.assetOf(lean[0]!), refused, env)),
      ];
      expect(responses.map((r) => r.statusCode)).toEqual([
        201, 200, 200, 200, 204, 404, 401, 403, 404, 401,
      ]);
      expect(JSON.parse(responses[0]!.body)).toMatchObject({ userId: ADA });
      expect(responses[0]!.headers.location).toBe(`/users/${ADA}`);
      expect(JSON.parse(responses[2]!.body)).toMatchObject({ count: 1, users: [{ userId: ADA }] });
      expect(JSON.parse(responses[3]!.body)).toMatchObject({ lastName: 'King', version: 2 });
      expect(JSON.parse(responses[5]!.body)).toMatchObject({ code: 'PROFILE_NOT_FOUND' });
      expect(responses[6]!.headers['www-authenticate']).toBe('Bearer realm="userprofile"');
      expect(JSON.parse(responses[7]!.body)).toMatchObject({ code: 'FORBIDDEN' });
      expect(issuer.fetches).toBe(3); // once per cold start: three processes
    } finally {
      await issuer.stop();
      await t.drop();
    }
  });
});
