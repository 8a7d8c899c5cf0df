import { testEndpoint } from '@userprofile/adapters-dynamo/testing';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import {
  bundledLocalServer,
  javaProcessesUsing,
  packageDir,
  photoTicket,
  raw,
  samplePhoto,
  s3EndpointIn,
  until,
} from './testing/bundled-local-server';

/** The bundled local server as a process: its requests, data, ports, logs and settings. */
describe('the local server process', () => {
  const local = bundledLocalServer();

  it('takes an empty body with a JSON content type on GET, HEAD, OPTIONS and DELETE, and refuses it on POST, PUT and PATCH', async () => {
    const { child, url } = await local.start({
      DYNAMODB_ENDPOINT: testEndpoint(),
      TABLE_NAME: `empty-${randomUUID()}`,
    });
    const json = { 'content-type': 'application/json' };
    try {
      const created = await fetch(`${url}/users`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ email: 'empty@example.com', firstName: 'E', lastName: 'M' }),
      });
      const { userId } = (await created.json()) as { userId: string };
      const at = `${url}/users/${userId}`;
      // What mobile HTTP stacks send: the header and no body, with Content-Length: 0 where the
      // method usually has a body (node:http, which sends exactly the headers given).
      const send = (method: string, target = at) =>
        raw(target, method, {
          ...json,
          ...(method === 'GET' || method === 'HEAD' ? {} : { 'content-length': '0' }),
          origin: 'https://app.example.com',
        });
      expect((await send('GET')).status).toBe(200);
      expect((await send('HEAD')).status).toBe(200);
      expect((await send('OPTIONS')).status).toBe(204);
      for (const [method, target] of [
        ['POST', `${url}/users`],
        ['PUT', at],
        ['PATCH', at],
      ] as const) {
        const res = await send(method, target);
        expect(res.status).toBe(400);
        expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
        expect(JSON.parse(res.body)).toMatchObject({ detail: 'The body must not be empty.' });
      }
      expect((await send('DELETE')).status).toBe(204);
      expect((await send('GET')).status).toBe(404);
    } finally {
      expect(await local.stop(child)).toBe(0);
    }
  });

  it('refuses development tokens and keys outside a local environment', async () => {
    await expect(
      local.start({ AUTH_MODE: 'jwt', AUTH_DEV_KEYS: 'true', ENVIRONMENT: 'prod' }),
    ).rejects.toThrow(/AUTH_DEV_KEYS=true .* refused outside ENVIRONMENT=local/);
    expect(() =>
      execFileSync(process.execPath, ['--import', 'tsx', 'scripts/dev-token.ts'], {
        cwd: packageDir,
        encoding: 'utf8',
        stdio: 'pipe',
        env: {
          ...process.env,
          ENVIRONMENT: 'prod',
          PHOTOS_URL: 'https://cdn.example.com',
          DATA_DIR: join(local.dir(), 'never'),
        },
      }),
    ).toThrow(/for a local machine only/);
  });

  it('starts its own DynamoDB Local, keeps profiles across a restart, and stops it on SIGTERM', async () => {
    const env = { DATA_DIR: join(local.dir(), 'data') };
    const first = await local.start(env);
    const created = await fetch(`${first.url}/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'kept@example.com', firstName: 'Kept', lastName: 'Across' }),
    });
    expect(created.status).toBe(201);
    const { userId } = (await created.json()) as { userId: string };
    expect(await local.stop(first.child)).toBe(0);
    expect(javaProcessesUsing(local.dir())).toBe(0);

    const second = await local.start(env);
    try {
      const res = await fetch(`${second.url}/users/${userId}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ email: 'kept@example.com' });
    } finally {
      expect(await local.stop(second.child)).toBe(0);
    }
    expect(javaProcessesUsing(local.dir())).toBe(0);
  });

  it('runs beside another local server, each on its own PORT, DATA_DIR and S3 server, both taking photo uploads', async () => {
    // Each DynamoDB Local of its own takes a free port already (see the restart test above).
    const own = () =>
      local.start({ DYNAMODB_ENDPOINT: testEndpoint(), TABLE_NAME: `side-${randomUUID()}` });
    const started = await Promise.allSettled([own(), own()]);
    const servers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    try {
      for (const s of started) if (s.status === 'rejected') throw s.reason;
      const endpoints = servers.map((server) => s3EndpointIn(server.output()));
      expect(new Set(endpoints).size).toBe(2);
      for (const [i, server] of servers.entries()) {
        const ticket = await photoTicket(server.url, `side${i}@example.com`);
        expect(ticket.url.startsWith(`${endpoints[i]}/`)).toBe(true);
        const form = new FormData();
        for (const [name, value] of Object.entries(ticket.fields)) form.append(name, value);
        form.append('file', new Blob([samplePhoto], { type: 'image/jpeg' }));
        expect((await fetch(ticket.url, { method: 'POST', body: form })).status).toBe(204);
      }
    } finally {
      for (const server of servers) expect(await local.stop(server.child)).toBe(0);
    }
  });

  it('refuses to start when its S3 port is taken, and says to set S3_PORT', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const attempt = local.start({ DYNAMODB_ENDPOINT: testEndpoint(), S3_PORT: String(port) });
      await expect(
        attempt.then(async (server) => {
          await local.stop(server.child);
          return 'started';
        }),
      ).rejects.toThrow(
        new RegExp(
          `Cannot start the local S3 server on http://127\\.0\\.0\\.1:${port}: .*EADDRINUSE[\\s\\S]*Set S3_PORT`,
        ),
      );
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('logs for a person on a terminal, and one JSON object a line otherwise', async () => {
    const env = {
      LOG_LEVEL: 'info',
      DYNAMODB_ENDPOINT: testEndpoint(),
      TABLE_NAME: `log-${randomUUID()}`,
    };
    const listening = /API on http:\/\/127\.0\.0\.1:\d+ \(docs at/;

    const onTerminal = await local.start(env, { terminal: true });
    try {
      await fetch(`${onTerminal.url}/health`);
      await until(() => listening.test(onTerminal.output()));
      const lines = stripVTControlCharacters(onTerminal.output()).split(/\r?\n/);
      expect(lines.find((line) => listening.test(line))).toMatch(
        /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: API on http/,
      );
      expect(lines.filter((line) => line.startsWith('{'))).toEqual([]);
    } finally {
      // `script` ends the server itself (SIGTERM, then SIGKILL) and answers its own exit code.
      await local.stop(onTerminal.child);
    }

    const piped = await local.start(env);
    try {
      await until(() => listening.test(piped.output()));
      const line = piped
        .output()
        .split('\n')
        .find((l) => listening.test(l))!;
      expect(JSON.parse(line)).toMatchObject({ level: 30, msg: expect.stringMatching(listening) });
    } finally {
      expect(await local.stop(piped.child)).toBe(0);
    }
  });
});
