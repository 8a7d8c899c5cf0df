import type { FastifyInstance } from 'fastify';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../app';
import { loadConfig } from '../config';
import { createContainer } from '../container';
import { InMemoryUserProfileRepository } from '@userprofile/domain/testing';
import { buildTestApp } from '../testing/test-app';
import { openApiDocument } from '../http/openapi';
import { OpenApiConformance, type OpenApiDocument } from '../testing/openapi-conformance';

let app: FastifyInstance;
beforeAll(async () => {
  ({ app } = await buildTestApp());
});
afterAll(() => app.close());

describe('response hardening', () => {
  it('sets security headers fitted to a JSON API and no framework fingerprint', async () => {
    const res = await app.inject({ url: '/health' });
    expect(res.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'content-security-policy': "default-src 'none';frame-ancestors 'none'",
      'strict-transport-security': expect.stringContaining('max-age='),
      'referrer-policy': 'no-referrer',
    });
    for (const header of ['x-powered-by', 'server', 'x-aspnet-version'])
      expect(res.headers).not.toHaveProperty(header);
  });

  it('sets them on errors too', async () => {
    const res = await app.inject({ url: '/users/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});

/** A real listening server, for what only a socket can show. */
async function listening(
  options: Parameters<typeof buildApp>[1],
): Promise<{ server: FastifyInstance; port: number }> {
  const container = createContainer(loadConfig({}), {
    repository: new InMemoryUserProfileRepository(),
  });
  const server = buildApp(container, { logger: false, ...options });
  await server.listen({ port: 0, host: '127.0.0.1' });
  return { server, port: (server.server.address() as AddressInfo).port };
}

function rawExchange(
  port: number,
  request: string,
  waitMs: number,
): Promise<{ response: string; closed: boolean; ms: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let response = '';
    let closed = false;
    socket.on('data', (d) => (response += d.toString()));
    socket.on('close', () => {
      closed = true;
      resolve({ response, closed, ms: Date.now() - started });
    });
    socket.on('error', () => undefined);
    socket.write(request);
    setTimeout(() => {
      socket.destroy();
      if (!closed) resolve({ response, closed: false, ms: Date.now() - started });
    }, waitMs);
  });
}

/** An answer written straight to the socket: problem+json, security headers, a request id. */
function expectRawProblem(response: string, status: number, code: string) {
  const [head = '', body = ''] = response.split('\r\n\r\n');
  expect(head).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
  const headers = Object.fromEntries(
    head
      .split('\r\n')
      .slice(1)
      .map((line) => [
        line.slice(0, line.indexOf(':')).toLowerCase(),
        line.slice(line.indexOf(':') + 2),
      ]),
  );
  expect(headers).toMatchObject({
    'content-type': 'application/problem+json; charset=utf-8',
    'x-content-type-options': 'nosniff',
    'content-security-policy': expect.stringContaining("default-src 'none'"),
    'strict-transport-security': expect.any(String),
    'x-request-id': expect.stringMatching(/^[0-9a-f-]{36}$/),
    connection: 'close',
  });
  expect(JSON.parse(body)).toMatchObject({
    status,
    code,
    type: expect.any(String),
    detail: expect.any(String),
  });
}

describe('the listening server', () => {
  it('refuses a body over the limit from its Content-Length, before reading it', async () => {
    const { server, port } = await listening({});
    try {
      // Announces 10 MB and sends none of it: the answer cannot have waited for the body.
      const { response } = await rawExchange(
        port,
        'POST /users HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n',
        2_000,
      );
      expect(response).toMatch(/^HTTP\/1\.1 413 /);
      expect(response).toContain('"code":"BODY_TOO_LARGE"');
    } finally {
      await server.close();
    }
  });

  it('cuts a body trickling in byte by byte at the request timeout, with a 408 problem', async () => {
    const { server, port } = await listening({
      server: { requestTimeout: 1_000, connectionTimeout: 5_000, connectionsCheckingInterval: 100 },
    });
    try {
      const started = Date.now();
      const answer = await new Promise<{ response: string; ms: number }>((resolve) => {
        const socket = connect(port, '127.0.0.1');
        let response = '';
        socket.on('data', (d: Buffer) => (response += d.toString()));
        socket.on('error', () => undefined);
        socket.on('close', () => {
          clearInterval(drip);
          resolve({ response, ms: Date.now() - started });
        });
        socket.write(
          'POST /users HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n',
        );
        // One byte every 100 ms: never idle long enough for the connection timeout.
        const drip = setInterval(() => socket.write(' '), 100);
      });
      expect(answer.ms).toBeLessThan(4_000);
      expectRawProblem(answer.response, 408, 'REQUEST_TIMEOUT');
    } finally {
      await server.close();
    }
  });

  it("answers Node's own refusal of oversized headers as problem+json with the security headers", async () => {
    const { server, port } = await listening({});
    try {
      const { response } = await rawExchange(
        port,
        `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
        2_000,
      );
      expectRawProblem(response, 431, 'HEADERS_TOO_LARGE');
      const garbage = await rawExchange(port, 'NOT HTTP AT ALL\r\n\r\n', 2_000);
      expectRawProblem(garbage.response, 400, 'MALFORMED_REQUEST');
    } finally {
      await server.close();
    }
  });

  it('documents those refusals (408, 431) on every operation, as they are served', async () => {
    const { server, port } = await listening({ extensions: [openApiDocument] });
    try {
      const doc = (await server.inject({ url: '/openapi.json' })).json() as OpenApiDocument;
      for (const [path, operations] of Object.entries(doc.paths)) {
        for (const [method, operation] of Object.entries(operations)) {
          const refusals = Object.keys(operation.responses).filter((s) => /^4(08|31)$/.test(s));
          expect([method, path, refusals]).toEqual([method, path, ['408', '431']]);
        }
      }
      const { response } = await rawExchange(
        port,
        `GET /users/me HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
        2_000,
      );
      expect(new OpenApiConformance(doc).check('GET', '/users/me', asExchange(response))).toEqual(
        [],
      );
    } finally {
      await server.close();
    }
  });

  it('drops a client that never finishes its request (slowloris) after the request timeout', async () => {
    const { server, port } = await listening({
      server: { requestTimeout: 500, connectionTimeout: 500 },
    });
    try {
      const { response, closed } = await rawExchange(
        port,
        'GET /health HTTP/1.1\r\nHost: x\r\n',
        3_000,
      );
      expect(closed).toBe(true);
      expect(response === '' || /^HTTP\/1\.1 408 /.test(response)).toBe(true);
    } finally {
      await server.close();
    }
  });
});

/** A raw answer as the document checks take it. */
function asExchange(response: string) {
  const [head = '', body = ''] = response.split('\r\n\r\n');
  const headers = Object.fromEntries(
    head
      .split('\r\n')
      .slice(1)
      .map((line) => [
        line.slice(0, line.indexOf(':')).toLowerCase(),
        line.slice(line.indexOf(':') + 2),
      ]),
  );
  return { statusCode: Number(head.split(' ')[1]), headers, body };
}
