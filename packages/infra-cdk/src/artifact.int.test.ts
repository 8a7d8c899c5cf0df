import { createTestTable, testEndpoint } from '@userprofile/adapters-dynamo/testing';
import type { RequestSpec } from '@userprofile/adapters-http/testing-events';
import { invokeBundle } from '@userprofile/adapters-http/testing-bundle';
import { TEST_ADMIN_GROUP, TestIssuer } from '@userprofile/adapters-http/testing-issuer';
import { testUserId } from '@userprofile/domain/testing';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const packageDir = join(__dirname, '..');

const ADA = testUserId(301);
const ROOT = testUserId(399);

/**
 * `cdk synth` as a user runs it (offline, no AWS credentials), then the Lambda asset it would
 * deploy, loaded in a fresh Node process and driven with API Gateway REST events, on DynamoDB Local.
 */
describe('the synthesized cloud assembly', () => {
  let out: string;
  let template: {
    Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  };
  let assets: { files: Record<string, { source: { path: string } }> };

  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'cdk-out-'));
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, CI: 'true' };
    execFileSync('pnpm', ['run', '--silent', 'synth', '-o', out, '-c', 'environment=dev'], {
      cwd: packageDir,
      env,
      stdio: 'pipe',
    });
    template = JSON.parse(readFileSync(join(out, 'UserProfile-dev.template.json'), 'utf8'));
    assets = JSON.parse(readFileSync(join(out, 'UserProfile-dev.assets.json'), 'utf8'));
  }, 180_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  function assetOf(functionName: string): string {
    const fn = Object.values(template.Resources).find(
      (r) => r.Type === 'AWS::Lambda::Function' && r.Properties.FunctionName === functionName,
    );
    const key = (fn?.Properties.Code as { S3Key: string }).S3Key;
    const asset = assets.files[key.replace(/\.zip$/, '')];
    if (!asset) throw new Error(`no asset for ${functionName}`);
    return join(out, asset.source.path, 'index.js');
  }

  const names = ['create-user', 'get-user', 'list-users', 'update-user', 'delete-user'].map(
    (n) => `userprofile-dev-${n}`,
  );

  it('deploys one bundle of the Fastify app behind every function', () => {
    const bundles = new Set(names.map(assetOf));
    expect(bundles.size).toBe(1);
    const size = readFileSync([...bundles][0]!).length;
    expect(size).toBeGreaterThan(100_000); // a real bundle, not a stub
  });

  it('has every function verify Cognito tokens (AUTH_MODE=jwt) from the stack, with no development key', () => {
    for (const name of names) {
      const fn = Object.values(template.Resources).find(
        (r) => r.Type === 'AWS::Lambda::Function' && r.Properties.FunctionName === name,
      );
      const env = (fn?.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(env).toMatchObject({ AUTH_MODE: 'jwt', AUTH_ADMIN_GROUP: 'admin' });
      expect(JSON.stringify(env.AUTH_ISSUER)).toContain('https://cognito-idp.');
      expect(env).not.toHaveProperty('AUTH_DEV_KEYS');
    }
  });

  it('serves create, get, list, update and delete through that bundle in jwt mode, with tokens minted by the test', async () => {
    const t = await createTestTable();
    const issuer = await TestIssuer.start();
    try {
      const events = await import('@userprofile/adapters-http/testing-events');
      const user = { authorization: `Bearer ${await issuer.idToken(ADA)}` };
      const admin = {
        authorization: `Bearer ${await issuer.idToken(ROOT, { groups: [TEST_ADMIN_GROUP] })}`,
      };
      const walk = events.crudWalk('artifact@example.com').map((spec) => ({
        ...spec,
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
      const responses = await invokeBundle(
        assetOf(names[0]!),
        [...walk, ...refused].map((spec) => events.restEvent(spec, 'dev', true)),
        {
          TABLE_NAME: t.tableName,
          ENVIRONMENT: 'dev',
          DYNAMODB_ENDPOINT: testEndpoint(),
          AWS_REGION: 'us-east-1',
          LOG_LEVEL: 'warn',
          ...issuer.env(),
        },
      );
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
      expect(issuer.fetches).toBe(1);
    } finally {
      await issuer.stop();
      await t.drop();
    }
  });
});
