import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoUserProfileRepository, DynamoWebhookRegistry } from '@userprofile/adapters-dynamo';
import { testClients, testEndpoint } from '@userprofile/adapters-dynamo/testing';
import { uploadKey } from '@userprofile/adapters-s3/keys';
import { startTestS3 } from '@userprofile/adapters-s3/testing';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE_PROFILE, EXAMPLE_UPLOAD_ID } from './http/examples';
import { ALL_ROUTES } from './http/routes';
import { buildServerBundle, startBundledServer, type ServerBundle } from './testing/bundled-server';
import {
  exampleRequests,
  storeExampleProfiles,
  storeExampleWebhooks,
  type ExampleDocument,
} from './testing/example-requests';
import { exampleToken } from './testing/example-tokens';
import { TestIssuer } from './testing/test-issuer';

const samplePhoto = readFileSync(join(__dirname, '../../../docs/sample-photo.jpg'));

/** Runs Dredd to its end; its exit code and everything it printed. */
function dredd(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [require.resolve('dredd/bin/dredd'), ...args], {
    cwd: join(__dirname, '..'),
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, output })));
}

/** Dredd's closing figures: `complete: 24 passing, 0 failing, 0 errors, 209 skipped, 233 total`. */
function figures(output: string): Record<string, number> {
  const line = /complete: (.*)$/m.exec(output)?.[1] ?? '';
  return Object.fromEntries(
    [...line.matchAll(/(\d+) (\w+)/g)].map(([, n, what]) => [what!, Number(n)]),
  );
}

/** The bearer token of each operation in jwt mode, by `METHOD /path` as Dredd's hooks look it up. */
async function tokens(issuer: TestIssuer, doc: ExampleDocument): Promise<Record<string, string>> {
  const byOperation: Record<string, string> = {};
  for (const request of exampleRequests(doc)) {
    const token = await exampleToken(issuer, request);
    if (token) byOperation[`${request.method} ${request.path}`] = token;
  }
  return byOperation;
}

/**
 * A third-party tool drives the API from its served document alone: Dredd sends each operation's
 * examples to the bundled local server (DynamoDB Local, a local S3 server) holding what the
 * examples name, in each auth mode (in jwt mode with a test issuer's tokens, which no document
 * holds), and every operation gets its documented success, its answer checked against the
 * document. Dredd's transactions for error answers are skipped (dredd-hooks.cjs says why).
 */
describe('Dredd, run on the served document against the bundled local server', () => {
  let dir: string;
  let bundle: ServerBundle;
  let s3: Awaited<ReturnType<typeof startTestS3>>;
  let issuer: TestIssuer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dredd-'));
    bundle = await buildServerBundle('server-dredd');
    s3 = await startTestS3();
    issuer = await TestIssuer.start();
  }, 60_000);
  afterAll(async () => {
    await issuer?.stop();
    await s3?.stop();
    rmSync(dir, { recursive: true, force: true });
    bundle?.remove();
  });

  /**
   * What the examples name: two profiles in the server's table, two webhook endpoints in its
   * change-event table (which it made on start), and an upload of a photo.
   */
  async function storeFixtures(tableName: string, eventTableName: string): Promise<void> {
    const { documentClient } = testClients();
    // The search table the server made beside its table, by the name it derives.
    const searchTableName = `${tableName}-search`;
    await storeExampleProfiles(
      new DynamoUserProfileRepository(documentClient, { tableName, searchTableName }),
    );
    await storeExampleWebhooks(new DynamoWebhookRegistry(documentClient, eventTableName));
    await s3.client.send(
      new PutObjectCommand({
        Bucket: s3.bucket,
        Key: uploadKey(EXAMPLE_PROFILE.userId, EXAMPLE_UPLOAD_ID),
        Body: samplePhoto,
        ContentType: 'image/jpeg',
      }),
    );
  }

  it.each(['none', 'jwt'] as const)(
    'gets the documented success of every operation, with no failure, with AUTH_MODE=%s',
    async (mode) => {
      const tableName = `dredd-${randomUUID()}`;
      const eventTableName = `${tableName}-events`;
      const server = await startBundledServer(bundle, {
        DATA_DIR: join(dir, mode),
        DYNAMODB_ENDPOINT: testEndpoint(),
        TABLE_NAME: tableName,
        EVENT_TABLE_NAME: eventTableName,
        S3_ENDPOINT: s3.endpoint,
        PHOTOS_BUCKET: s3.bucket,
        ...(mode === 'jwt' ? (issuer.env() as Record<string, string>) : {}),
      });
      try {
        await storeFixtures(tableName, eventTableName);
        const text = await (await fetch(`${server.url}/openapi.json`)).text();
        const file = join(dir, `openapi-${mode}.json`);
        writeFileSync(file, text);
        const doc = JSON.parse(text) as ExampleDocument;
        const operations = Object.values(doc.paths).flatMap((ops) => Object.values(ops));
        // Every route (the change feed's too: the local server has its event table) and the two
        // health checks.
        expect(operations).toHaveLength(Object.keys(ALL_ROUTES).length + 2);

        const hooks = join(__dirname, 'testing/dredd-hooks.cjs');
        const run = await dredd([file, server.url, '--hookfiles', hooks, '--no-color'], {
          OPENAPI_DOCUMENT: file,
          ...(mode === 'jwt' ? { DREDD_TOKENS: JSON.stringify(await tokens(issuer, doc)) } : {}),
        });
        const failures = run.output.split('\n').filter((l) => /\b(fail|error):/.test(l));
        expect(failures).toEqual([]);
        const counts = figures(run.output);
        expect(counts).toMatchObject({ passing: operations.length, failing: 0, errors: 0 });
        expect(counts.total).toBeGreaterThan(operations.length * 5);
        expect(run.code).toBe(0);
      } finally {
        await server.stop();
      }
    },
    120_000,
  );
});
