import type { FastifyInstance } from 'fastify';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../app';
import { loadConfig } from '../config';
import { createContainer } from '../container';
import { InMemoryUserProfileRepository } from '@userprofile/domain/testing';
import { buildTestApp } from '../testing/test-app';

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
