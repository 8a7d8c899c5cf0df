import { testEndpoint } from '@userprofile/adapters-dynamo/testing';
import { startTestS3 } from '@userprofile/adapters-s3/testing';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServerBundle, startBundledServer, type ServerBundle } from './testing/bundled-server';

const packageDir = join(__dirname, '..');

/** The settings scripts/openapi-document.ts generates each mode's document with. */
const MODES = {
  none: {},
  jwt: { AUTH_MODE: 'jwt', AUTH_ISSUER: 'https://issuer.example.com', AUTH_AUDIENCE: 'app' },
} as const;

/**
 * The published document: for jwt (as deployed), the committed packages/client/openapi.json the
 * client is generated from; for none, the one scripts/openapi-document.ts prints under tsx, which
 * the contract and lint tests hold the app to.
 */
function publishedDocument(mode: keyof typeof MODES): unknown {
  const text =
    mode === 'jwt'
      ? readFileSync(join(packageDir, '../client/openapi.json'), 'utf8')
      : execFileSync(process.execPath, ['--import', 'tsx', 'scripts/openapi-document.ts', mode], {
          cwd: packageDir,
          encoding: 'utf8',
        });
  return JSON.parse(text);
}

/**
 * What users receive is what the tests run: the local server, bundled as `./scripts/start` builds
 * it, serves at /openapi.json the very document that is published (and that every contract test
 * and the client are made from), in each auth mode.
 */
describe('the OpenAPI document the bundled local server serves', () => {
  let dir: string;
  let bundle: ServerBundle;
  let s3: Awaited<ReturnType<typeof startTestS3>>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'served-document-'));
    bundle = await buildServerBundle('server-document');
    // Its own S3 server on a free port, so that no fixed port is shared with other tests.
    s3 = await startTestS3();
  }, 60_000);
  afterAll(async () => {
    await s3?.stop();
    rmSync(dir, { recursive: true, force: true });
    bundle?.remove();
  });

  async function served(env: Record<string, string>): Promise<unknown> {
    const server = await startBundledServer(bundle, {
      DATA_DIR: join(dir, randomUUID()),
      DYNAMODB_ENDPOINT: testEndpoint(),
      TABLE_NAME: `served-document-${randomUUID()}`,
      S3_ENDPOINT: s3.endpoint,
      PHOTOS_BUCKET: s3.bucket,
      ...env,
    });
    try {
      const res = await fetch(`${server.url}/openapi.json`);
      expect(res.status).toBe(200);
      return await res.json();
    } finally {
      await server.stop();
    }
  }

  it.each(Object.keys(MODES) as (keyof typeof MODES)[])(
    'is the published document, deep-equal, with AUTH_MODE=%s',
    async (mode) => {
      const published = publishedDocument(mode);
      expect(await served(MODES[mode])).toEqual(published);
    },
    60_000,
  );
});
