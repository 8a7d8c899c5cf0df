import { freePort, waitForHttp } from '@userprofile/adapters-dynamo/local';
import { testEndpoint } from '@userprofile/adapters-dynamo/testing';
import { startTestS3 } from '@userprofile/adapters-s3/testing';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const bundleOptions = require('../bundle-options.cjs') as {
  buildBundle(target: 'server', overrides: { outfile: string }): Promise<unknown>;
};
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
  let serverJs: string;
  let s3: Awaited<ReturnType<typeof startTestS3>>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'served-document-'));
    // Next to the package's node_modules, where the bundle finds its run-time files.
    serverJs = join(packageDir, 'dist', `server-document-${randomUUID()}.js`);
    await bundleOptions.buildBundle('server', { outfile: serverJs });
    // Its own S3 server on a free port, so that no fixed port is shared with other tests.
    s3 = await startTestS3();
  }, 60_000);
  afterAll(async () => {
    await s3?.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(serverJs, { force: true });
    rmSync(`${serverJs}.map`, { force: true });
  });

  async function served(env: Record<string, string>): Promise<unknown> {
    const port = await freePort();
    const child: ChildProcess = spawn(process.execPath, [serverJs], {
      cwd: packageDir,
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        LOG_LEVEL: 'warn',
        DATA_DIR: join(dir, randomUUID()),
        DYNAMODB_ENDPOINT: testEndpoint(),
        TABLE_NAME: `served-document-${randomUUID()}`,
        S3_ENDPOINT: s3.endpoint,
        PHOTOS_BUCKET: s3.bucket,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitForHttp(`${url}/health/ready`, child, 45_000, (res) => res.ok);
      const res = await fetch(`${url}/openapi.json`);
      expect(res.status).toBe(200);
      return await res.json();
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${output}`);
    } finally {
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
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
