import { writeValidatorsModule } from '@userprofile/adapters-json-schema/compile';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { restEvent } from './testing/api-gateway-events';
import { buildBundle, invokeBundle } from './testing/invoke-bundle';

const EXAMPLE = join(__dirname, '../../../docs/examples/profile-schemas.json');

/**
 * The Lambda bundle built with declared schemas as it is deployed (bundle-options.cjs, as the CDK
 * stack passes it to NodejsFunction with the module it generates at synth): the validators are in
 * it, ajv's compiler is not, and the handler refuses a write against the schemas.
 */
describe('the Lambda bundle with declared metadata schemas', () => {
  let dir: string;
  let bundle: string;
  let inputs: string[];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'schemas-bundle-'));
    const validators = writeValidatorsModule(EXAMPLE, dir);
    bundle = join(dir, 'lambda.js');
    const result = await buildBundle('lambda', { outfile: bundle }, validators);
    inputs = Object.keys(result.metafile.inputs);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('carries the generated validators and no part of ajv’s compiler', () => {
    expect(inputs.filter((f) => f.includes('metadata-validators-'))).toHaveLength(1);
    expect(
      inputs.filter((f) => /\/ajv\/dist\/(ajv|core|compile\/|vocabularies\/)/.test(f)),
    ).toEqual([]);
    expect(inputs.filter((f) => f.includes('adapters-json-schema/src/compile'))).toEqual([]);
    // Messages only ajv's compiler holds.
    expect(readFileSync(bundle, 'utf8')).not.toMatch(/schema with key or id|strict mode: /);
  });

  it('answers a create against the schemas with a problem per field, before any storage', async () => {
    const env = {
      TABLE_NAME: 'never-reached',
      ENVIRONMENT: 'dev',
      // No database at this address: a write that got past validation would fail with 503.
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      LOG_LEVEL: 'silent',
      PHOTOS_URL: 'https://photos.example.com',
    };
    const body = {
      email: 'ada@example.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
      metadata: { theme: 'blue' },
      publicMetadata: { bio: 'Analyst', twitter: '@ada' },
    };
    const [res] = await invokeBundle(
      bundle,
      [restEvent({ method: 'POST', path: '/users', body })],
      env,
    );
    expect(res!.statusCode).toBe(400);
    expect(JSON.parse(res!.body)).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [
        { field: 'metadata.theme', message: 'must be one of "light", "dark", "system"' },
        { field: 'publicMetadata.twitter', message: 'is not allowed' },
      ],
    });
  });
});
