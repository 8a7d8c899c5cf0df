'use strict';
// Makes the V8 code cache of a Lambda asset: app.cache and app.cache.json beside app.js and the
// loader (index.js). Run it with the Node binary, architecture and flags the function runs with,
// which for AWS means inside AWS's Lambda base image of the function's runtime (see
// make-code-cache-in-lambda-image.sh); a cache made elsewhere is ignored by the loader's key check.
//
// It compiles app.js without a cache, runs it, and serves warm-up requests through the handler
// before asking V8 for the cache, so the functions compiled lazily by a first request are in it.
// The warm-up needs no database: it takes paths that end before storage (an id that cannot exist,
// an unknown route, a malformed body, CORS preflight).
// Usage: node [flags] make-code-cache.cjs <asset dir>
const { writeFileSync } = require('node:fs');
const { join, resolve } = require('node:path');

async function main() {
  const dir = resolve(process.argv[2] ?? '.');
  // The app must build without a cloud: an open API on no particular table.
  process.env.AUTH_MODE ??= 'none';
  process.env.LOG_LEVEL ??= 'silent';
  process.env.TABLE_NAME ??= 'code-cache-warm-up';
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.MAKE_CODE_CACHE = '1';
  const { compile, run, cacheKey } = require(join(dir, 'index.js'));
  const script = compile(undefined);
  const { handler } = run(script);
  const event = (method, path, body, headers = {}) => ({
    resource: path,
    path,
    httpMethod: method,
    headers: { accept: 'application/json', 'content-type': 'application/json', ...headers },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      resourcePath: path,
      path: `/warm${path}`,
      httpMethod: method,
      stage: 'warm',
      requestId: 'warm-up',
      identity: { sourceIp: '127.0.0.1' },
    },
    body: body === undefined ? null : JSON.stringify(body),
    isBase64Encoded: false,
  });
  const context = { awsRequestId: 'warm-up', getRemainingTimeInMillis: () => 10_000 };
  const answers = [];
  for (const e of [
    event('GET', '/users/not-an-id'),
    event('GET', '/users/me'),
    event('POST', '/users', { email: 'nope' }),
    event('PUT', '/users/not-an-id', { lastName: 7 }),
    event('DELETE', '/users/not-an-id'),
    event('GET', '/nowhere'),
    event('OPTIONS', '/users', undefined, {
      origin: 'https://warm.example',
      'access-control-request-method': 'GET',
    }),
  ]) {
    answers.push((await handler(e, context)).statusCode);
  }
  const cache = script.createCachedData();
  writeFileSync(join(dir, 'app.cache'), cache);
  writeFileSync(
    join(dir, 'app.cache.json'),
    `${JSON.stringify({ key: cacheKey(), bytes: cache.length, warmUp: answers })}\n`,
  );
  process.stdout.write(
    `code cache: ${cache.length} bytes for ${cacheKey()} (warm-up answers ${answers.join(' ')})\n`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
