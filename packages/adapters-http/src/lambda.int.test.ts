import { createTestTable, testEndpoint } from '@userprofile/adapters-dynamo/testing';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { crudWalk, httpApiEvent, restEvent, type RequestSpec } from './testing/api-gateway-events';
import {
  buildBundle,
  invokeBundle,
  invokeBundleOutput,
  type LambdaResponse,
} from './testing/invoke-bundle';
import {
  ConformanceRecorder,
  OpenApiConformance,
  type OpenApiDocument,
} from './testing/openapi-conformance';
import { buildTestApp } from './testing/test-app';

/**
 * Bundles the Lambda entries as the CDK stack does, then serves events through them in a fresh
 * process: `lambda-photos.ts` (every route: profile deletion deletes photos) for the walks,
 * `lambda.ts` (the profile routes, without S3 or sharp) for what it serves.
 */
const execFileAsync = promisify(execFile);

describe('the Lambda bundle', () => {
  let dir: string;
  let bundle: string;
  let lean: string;
  let table: Awaited<ReturnType<typeof createTestTable>>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lambda-bundle-'));
    bundle = join(dir, 'index.js');
    lean = join(dir, 'lean.js');
    await buildBundle('lambda-photos', { outfile: bundle });
    await buildBundle('lambda', { outfile: lean });
    table = await createTestTable();
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await table.drop();
  });

  /** Every response through the bundle is held to the document the app serves (open API). */
  let conformance: ConformanceRecorder;
  beforeAll(async () => {
    const { app } = await buildTestApp();
    conformance = new ConformanceRecorder(
      new OpenApiConformance(
        (await app.inject({ url: '/openapi.json' })).json() as OpenApiDocument,
      ),
    );
    await app.close();
  });
  afterAll(() => conformance.verify(5));

  /** The walk-through for this e-mail, as events of one kind, through the bundle. */
  const walkThrough = (email: string, toEvent: (spec: RequestSpec) => unknown) => {
    const specs = crudWalk(email);
    return invoke(specs.map(toEvent), specs);
  };

  async function invoke(events: unknown[], specs: RequestSpec[] = []): Promise<LambdaResponse[]> {
    const responses = await invokeRaw(events);
    specs.forEach((spec, i) => {
      const url = spec.path + (spec.query ? `?${new URLSearchParams(spec.query)}` : '');
      conformance.record(spec.method, url, responses[i]!);
    });
    return responses;
  }

  function invokeRaw(events: unknown[], file = bundle): Promise<LambdaResponse[]> {
    return invokeBundle(file, events, {
      TABLE_NAME: table.tableName,
      // Outside ENVIRONMENT=local set as the CDK stack sets it, on a function that writes.
      SEARCH_TABLE_NAME: table.searchTableName,
      DYNAMODB_ENDPOINT: testEndpoint(),
      AWS_REGION: 'us-east-1',
      LOG_LEVEL: 'warn',
      ENVIRONMENT: 'test',
      PHOTOS_URL: 'https://photos.example.com',
      PHOTOS_BUCKET: 'photos',
    });
  }

  const expectWalk = (responses: LambdaResponse[]) => {
    expect(responses.map((r) => r.statusCode)).toEqual([201, 200, 200, 200, 204, 404]);
    const created = JSON.parse(responses[0]!.body) as { userId: string };
    expect(JSON.parse(responses[1]!.body)).toMatchObject({ userId: created.userId, version: 1 });
    expect(responses[1]!.headers.etag).toBe('"1"');
    expect(JSON.parse(responses[3]!.body)).toMatchObject({ lastName: 'King', version: 2 });
    expect(responses[5]!.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  };

  it('serves create, get, list, update and delete from REST API (v1) events', async () => {
    expectWalk(await walkThrough('rest@example.com', (spec) => restEvent(spec)));
  });

  it('of the profile routes serves create, get, list and update (deletion is the photo bundle’s)', async () => {
    const specs = crudWalk('lean@example.com').slice(0, 4);
    const responses = await invokeRaw(
      specs.map((spec) => restEvent(spec)),
      lean,
    );
    specs.forEach((spec, i) => {
      const url = spec.path + (spec.query ? `?${new URLSearchParams(spec.query)}` : '');
      conformance.record(spec.method, url, responses[i]!);
    });
    expect(responses.map((r) => r.statusCode)).toEqual([201, 200, 200, 200]);
  });

  it('of the profile routes names only its own methods in a 405, and knows no photo route', async () => {
    const [remove, photo] = await invokeRaw(
      [
        restEvent({ method: 'DELETE', path: '/users/someone' }),
        restEvent({ method: 'POST', path: '/users/someone/photo', body: {} }),
      ],
      lean,
    );
    expect([remove!.statusCode, remove!.headers.allow]).toEqual([405, 'GET, PUT, PATCH, OPTIONS']);
    expect([photo!.statusCode, JSON.parse(photo!.body).code]).toEqual([404, 'ROUTE_NOT_FOUND']);
  });

  it('strips a stage prefix from REST API paths', async () => {
    expectWalk(
      await walkThrough('rest-stage@example.com', (spec) => restEvent(spec, 'prod', true)),
    );
  });

  it('serves HTTP API (v2) events with a named stage and with $default', async () => {
    expectWalk(await walkThrough('v2@example.com', (spec) => httpApiEvent(spec, 'dev')));
    expectWalk(
      await walkThrough('v2-default@example.com', (spec) => httpApiEvent(spec, '$default')),
    );
  });

  it('takes an empty body with a JSON content type on GET, DELETE and OPTIONS, and refuses it on PUT', async () => {
    const json = { 'content-type': 'application/json' };
    const id = '00000000-0000-4000-8000-0000000e0001';
    const specs: RequestSpec[] = [
      {
        method: 'POST',
        path: '/users',
        body: { email: 'empty-lambda@example.com', firstName: 'E', lastName: 'M' },
      },
      { method: 'GET', path: '/users/{{userId}}', headers: json },
      {
        method: 'OPTIONS',
        path: '/users/{{userId}}',
        headers: { ...json, origin: 'https://a.example' },
      },
      { method: 'DELETE', path: `/users/${id}`, headers: json },
      { method: 'PUT', path: '/users/{{userId}}', headers: json },
      { method: 'DELETE', path: '/users/{{userId}}', headers: json },
    ];
    const responses = await invoke(
      specs.map((spec) => restEvent(spec)),
      specs,
    );
    expect(responses.map((r) => r.statusCode)).toEqual([201, 200, 204, 404, 400, 204]);
    expect(JSON.parse(responses[4]!.body)).toMatchObject({ detail: 'The body must not be empty.' });
  });

  it('answers 503 with Retry-After before its own timeout when the database hangs', async () => {
    // A database that accepts connections and never answers: every attempt waits out its
    // 1 s request timeout, and the SDK alone (3 attempts) would outlive a 3 s function timeout.
    const sockets = new Set<Socket>();
    const frozen = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => frozen.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = frozen.address() as AddressInfo;
      const id = '00000000-0000-4000-8000-000000000001';
      const specs: RequestSpec[] = [
        { method: 'GET', path: `/users/${id}` },
        {
          method: 'PATCH',
          path: `/users/${id}`,
          headers: { 'content-type': 'application/merge-patch+json' },
          body: { firstName: 'X' },
        },
        {
          method: 'POST',
          path: '/users',
          body: { email: 'hang@example.com', firstName: 'A', lastName: 'B' },
        },
      ];
      for (const timeoutMs of [3_000, 6_000]) {
        const output = await invokeBundleOutput(
          bundle,
          specs.map((spec) => restEvent(spec)),
          {
            TABLE_NAME: table.tableName,
            DYNAMODB_ENDPOINT: `http://127.0.0.1:${port}`,
            AWS_REGION: 'us-east-1',
            LOG_LEVEL: 'silent',
            INVOKE_TIMEOUT_MS: String(timeoutMs),
          },
        );
        for (const [i, response] of output.results.entries()) {
          expect([timeoutMs, i, response.timedOut]).toEqual([timeoutMs, i, undefined]);
          expect(response.statusCode).toBe(503);
          expect(response.headers['retry-after']).toBe('1');
          expect(JSON.parse(response.body)).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
          expect(output.timings[i]).toBeLessThan(timeoutMs);
        }
      }
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => frozen.close(resolve));
    }
  }, 60_000);

  /**
   * Runs `GET /users/nobody` through the profile routes' bundle in a fresh Node process, with
   * `setup` run before the bundle loads; answers the status, what the `report` expression gave
   * right when the answer came, and the process's standard output (its log lines).
   */
  async function probeLean<T>(options: { setup?: string; report: string; logLevel: string }) {
    const script = `
      ${options.setup ?? ''}
      const { handler } = require(process.argv[1]);
      handler(JSON.parse(process.argv[2]), { awsRequestId: 'r', getRemainingTimeInMillis: () => 9000 })
        .then((response) => {
          const report = ${options.report};
          process.stderr.write(JSON.stringify({ status: response.statusCode, report }));
        });`;
    const event = restEvent({ method: 'GET', path: '/users/nobody' });
    const { stdout, stderr } = await execFileAsync(
      process.execPath,
      ['-e', script, lean, JSON.stringify(event)],
      {
        env: {
          PATH: process.env.PATH,
          TABLE_NAME: table.tableName,
          DYNAMODB_ENDPOINT: testEndpoint(),
          AWS_REGION: 'us-east-1',
          LOG_LEVEL: options.logLevel,
        },
      },
    );
    const { status, report } = JSON.parse(stderr.trim().split('\n').at(-1)!) as {
      status: number;
      report: T;
    };
    return { status, report, stdout };
  }

  it('loads neither node:http2, node:dns nor node:worker_threads to answer (only a listening server or a pino transport needs them), and carries no transport', async () => {
    const { status, report: builtIns } = await probeLean<string[]>({
      report: "process.moduleLoadList.filter((m) => m.startsWith('NativeModule '))",
      logLevel: 'warn',
    });
    expect(status).toBe(404);
    expect(builtIns).toContain('NativeModule http'); // the SDK's, as in any Lambda
    expect(builtIns.filter((m) => /^NativeModule (http2|dns|worker_threads)$/.test(m))).toEqual([]);
    const code = readFileSync(lean, 'utf8');
    expect(code).toContain('pino transports are not part of the Lambda bundle');
    // thread-stream's worker: `const { Worker } = require('worker_threads')`, minified.
    expect(code).not.toMatch(/\{Worker:[\w$]+\}=require\("worker_threads"\)/);
  });

  it('writes its log lines before an invocation answers (Lambda may freeze the process then)', async () => {
    // Counts the writes to standard output, by kind, from before the bundle loads.
    const {
      status,
      report: at,
      stdout,
    } = await probeLean<{ sync: number; async: number }>({
      setup: `
        const fs = require('node:fs');
        const writes = { sync: 0, async: 0 };
        const { write, writeSync } = fs;
        fs.writeSync = (fd, ...rest) => { if (fd === 1) writes.sync++; return writeSync(fd, ...rest); };
        fs.write = (fd, ...rest) => { if (fd === 1) writes.async++; return write(fd, ...rest); };`,
      report: '{ ...writes }',
      logLevel: 'debug',
    });
    expect(status).toBe(404);
    // The AUTH_MODE=none warning and the request's lines, all written when the answer is given.
    const lines = stdout.trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^AUTH_MODE=none/), 'request completed']),
    );
    expect(at).toEqual({ sync: lines.length, async: 0 });
  });

  it('answers a bad request through the bundle with problem+json, not a crash', async () => {
    const bad: RequestSpec = { method: 'POST', path: '/users', body: { email: 'x' } };
    const [res] = await invoke([restEvent(bad)], [bad]);
    expect(res?.statusCode).toBe(400);
    expect(JSON.parse(res!.body)).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
