import { createTestTable, testEndpoint } from '@userprofile/adapters-dynamo/testing';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const packageDir = join(__dirname, '..');
const httpPackage = dirname(require.resolve('@userprofile/adapters-http/package.json'));

interface LambdaResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

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

  it('serves create, get, list, update and delete through that bundle from REST events with the stage', async () => {
    const t = await createTestTable();
    try {
      const events = await import('@userprofile/adapters-http/testing-events');
      const walk = events
        .crudWalk('artifact@example.com')
        .map((spec) => events.restEvent(spec, 'dev', true));
      const stdout = execFileSync(
        process.execPath,
        [join(httpPackage, 'scripts/invoke-bundle.cjs'), assetOf(names[0]!)],
        {
          input: JSON.stringify(walk),
          encoding: 'utf8',
          env: {
            PATH: process.env.PATH,
            TABLE_NAME: t.tableName,
            ENVIRONMENT: 'dev',
            DYNAMODB_ENDPOINT: testEndpoint(),
            AWS_REGION: 'us-east-1',
            LOG_LEVEL: 'warn',
          },
        },
      );
      const responses = (JSON.parse(stdout) as { results: LambdaResponse[] }).results;
      expect(responses.map((r) => r.statusCode)).toEqual([201, 200, 200, 200, 204, 404]);
      const created = JSON.parse(responses[0]!.body) as { userId: string };
      expect(responses[0]!.headers.location).toBe(`/users/${created.userId}`);
      expect(JSON.parse(responses[2]!.body)).toMatchObject({
        count: 1,
        users: [{ userId: created.userId }],
      });
      expect(JSON.parse(responses[3]!.body)).toMatchObject({ lastName: 'King', version: 2 });
      expect(JSON.parse(responses[5]!.body)).toMatchObject({ code: 'PROFILE_NOT_FOUND' });
    } finally {
      await t.drop();
    }
  });
});
