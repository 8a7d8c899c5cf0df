import { createTestTable, testEndpoint } from '@userprofile/adapters-dynamo/testing';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedDataVersionTag } from 'node:v8';
import { crudWalk, restEvent } from './testing/api-gateway-events';
import { buildBundle, invokeBundle } from './testing/invoke-bundle';

const packageDir = join(__dirname, '..');

/**
 * The asset with a V8 code cache: the Lambda bundle as app.js, the loader as index.js, and a cache
 * made by code-cache/make-code-cache.cjs with this process's Node, which must be used only when
 * it was made for exactly this runtime, and never break a cold start when it is not usable.
 */
describe('the V8 code cache of the Lambda asset', () => {
  let dir: string;
  let table: Awaited<ReturnType<typeof createTestTable>>;
  const env = () => ({
    PATH: process.env.PATH,
    TABLE_NAME: table.tableName,
    DYNAMODB_ENDPOINT: testEndpoint(),
    AWS_REGION: 'us-east-1',
    LOG_LEVEL: 'warn',
  });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'code-cache-'));
    await buildBundle('lambda', { outfile: join(dir, 'app.js') });
    copyFileSync(join(packageDir, 'code-cache/loader.cjs'), join(dir, 'index.js'));
    table = await createTestTable();
  }, 60_000);
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await table.drop();
  });

  const make = () =>
    execFileSync(process.execPath, [join(packageDir, 'code-cache/make-code-cache.cjs'), dir], {
      env: { PATH: process.env.PATH },
      encoding: 'utf8',
    });

  /** One cold start through the loader: what it says of the cache, its log, a first answer. */
  function coldStart(): { status: string; statusCode: number; output: string } {
    const script = `
      const m = require(${JSON.stringify(join(dir, 'index.js'))});
      m.handler(${JSON.stringify(restEvent({ method: 'GET', path: '/users/not-an-id' }))}, { awsRequestId: 'a' })
        .then((r) => process.stdout.write(JSON.stringify({ status: m.codeCacheStatus, statusCode: r.statusCode }) + '\\n'));`;
    const output = execFileSync(process.execPath, ['-e', script], { env: env(), encoding: 'utf8' });
    const last = JSON.parse(output.trim().split('\n').at(-1)!) as {
      status: string;
      statusCode: number;
    };
    return { ...last, output };
  }
  const warnings = (output: string) =>
    output.split('\n').filter((l) => l.includes('V8 code cache'));

  it('is made after warm-up requests, keyed by Node version, architecture and V8 tag', () => {
    expect(make()).toMatch(/^code cache: \d+ bytes/);
    const made = JSON.parse(readFileSync(join(dir, 'app.cache.json'), 'utf8')) as {
      key: string;
      bytes: number;
      warmUp: number[];
    };
    expect(made.key).toBe(`${process.version} ${process.arch} ${cachedDataVersionTag()}`);
    // Lazily compiled functions of the request path are in it: far more than the top level.
    expect(made.bytes).toBeGreaterThan(500_000);
    // The profile routes' bundle: a DELETE is the photo bundle's route (405 here).
    expect(made.warmUp).toEqual([404, 403, 400, 400, 405, 404, 204]);
  }, 60_000);

  it('is used by a cold start in the runtime that made it, silently, and the asset serves the walk-through', async () => {
    const cold = coldStart();
    expect(cold).toMatchObject({ status: 'used', statusCode: 404 });
    expect(warnings(cold.output)).toEqual([]);
    const responses = await invokeBundle(
      join(dir, 'index.js'),
      crudWalk('cached@example.com')
        .slice(0, 4)
        .map((spec) => restEvent(spec)),
      env(),
    );
    expect(responses.map((r) => r.statusCode)).toEqual([201, 200, 200, 200]);
  });

  it('is not loaded when made for another runtime: the app compiles without it and says so once', () => {
    const meta = join(dir, 'app.cache.json');
    const made = readFileSync(meta, 'utf8');
    try {
      writeFileSync(meta, made.replace(process.version, 'v24.0.0'));
      const cold = coldStart();
      expect(cold.statusCode).toBe(404);
      expect(cold.status).toMatch(/^not used: made for v24\.0\.0 .*, this runtime is v/);
      expect(warnings(cold.output)).toHaveLength(1);
    } finally {
      writeFileSync(meta, made);
    }
  });

  it('falls back when V8 rejects the cache, and when there is none', () => {
    const cache = join(dir, 'app.cache');
    const good = readFileSync(cache);
    try {
      const damaged = Buffer.from(good);
      for (let i = 0; i < 64; i++) damaged[i] = damaged[i]! ^ 0xff; // V8's header and checksum
      writeFileSync(cache, damaged);
      const rejected = coldStart();
      expect(rejected).toMatchObject({ status: 'not used: rejected by V8', statusCode: 404 });
      expect(warnings(rejected.output)).toHaveLength(1);

      rmSync(cache);
      rmSync(join(dir, 'app.cache.json'));
      const none = coldStart();
      expect(none).toMatchObject({ status: 'not used: no cache in the asset', statusCode: 404 });
    } finally {
      writeFileSync(cache, good);
      make();
    }
    expect(coldStart().status).toBe('used');
  }, 60_000);
});
