import { freePort, waitForHttp } from '@userprofile/local-servers';
import { testEndpoint } from '@userprofile/adapters-dynamo/testing';
import { renditionFacts } from '@userprofile/adapters-images/testing';
import { build, type BuildOptions } from 'esbuild';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const bundleOptions = require('../bundle-options.cjs') as {
  server: BuildOptions;
};
const packageDir = join(__dirname, '..');
const readme = readFileSync(join(packageDir, '../../README.md'), 'utf8');

/** The local server entry, bundled as `./scripts/start` runs it, in its own process. */
describe('the local server', () => {
  let dir: string;
  let serverJs: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'server-'));
    // Next to the package's node_modules, where the bundle finds its run-time files.
    serverJs = join(packageDir, 'dist', `server-test-${randomUUID()}.js`);
    await build({ ...bundleOptions.server, outfile: serverJs, sourcemap: false });
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(serverJs, { force: true });
  });

  /**
   * Starts the bundled server; with `terminal`, under `script`, its standard output a pseudo-
   * terminal as when a person runs `./scripts/start`.
   */
  async function start(
    env: NodeJS.ProcessEnv,
    { terminal = false }: { terminal?: boolean } = {},
  ): Promise<{ child: ChildProcess; url: string; output: () => string }> {
    const port = await freePort();
    const [command, args] = terminal
      ? ['script', ['-qfec', `exec '${process.execPath}' '${serverJs}'`, '/dev/null']]
      : [process.execPath, [serverJs]];
    const child = spawn(command, args, {
      cwd: packageDir,
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        LOG_LEVEL: 'warn',
        // Its own data (the development key, the embedded S3 server's objects), and its S3 server
        // on a free port: no test takes a fixed one.
        DATA_DIR: join(dir, randomUUID()),
        S3_PORT: '0',
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
    } catch (error) {
      throw new Error(`server did not become ready: ${(error as Error).message}\n${output}`);
    }
    return { child, url, output: () => output };
  }

  function stop(child: ChildProcess): Promise<number | null> {
    return new Promise((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.kill('SIGTERM');
    });
  }

  it("creates its table on a DynamoDB Local of the user's and runs the README walk-through as printed", async () => {
    const { child, url } = await start({
      DYNAMODB_ENDPOINT: testEndpoint(),
      TABLE_NAME: `readme-${randomUUID()}`,
    });
    try {
      const walk = /### Walk-through[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1];
      expect(walk).toBeDefined();
      const script = walk!.replaceAll('http://127.0.0.1:3000', url);
      const out = execFileSync('bash', ['-euo', 'pipefail', '-c', script], { encoding: 'utf8' });
      expect(out).toContain('HTTP/1.1 201 Created');
      expect(out).toContain('"lastName":"King"');
      expect(out).toContain('"code":"VERSION_CONFLICT"');
      expect(out).toContain('"metadata":{"lang":"en"}');
      expect(out).toContain('HTTP/1.1 204 No Content');
      expect(
        out
          .trim()
          .endsWith(
            '"code":"PROFILE_NOT_FOUND","instance":"/users/' +
              out.match(/location: \/users\/([0-9a-f-]+)/)?.[1] +
              '"}',
          ),
      ).toBe(true);
    } finally {
      expect(await stop(child)).toBe(0);
    }
  });

  it('runs the README photo walk-through as printed, on the S3 server it starts itself', async () => {
    const { child, url, output } = await start({
      DYNAMODB_ENDPOINT: testEndpoint(),
      TABLE_NAME: `readme-photo-${randomUUID()}`,
    });
    try {
      const walk = /### A profile photo[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1];
      expect(walk).toBeDefined();
      const script = walk!.replaceAll('http://127.0.0.1:3000', url);
      const out = execFileSync('bash', ['-euo', 'pipefail', '-c', script], {
        encoding: 'utf8',
        cwd: join(packageDir, '../..'),
      });
      const lines = out.trim().split('\n');
      expect(lines[0]).toBe('204');
      const profile = JSON.parse(lines[1]!) as { photo: { urls: Record<string, string> } };
      expect(
        profile.photo.urls['256']!.startsWith(
          `${s3EndpointIn(output())}/userprofile-photos/photos/`,
        ),
      ).toBe(true);
      expect(lines[2]).toBe('200 image/webp');
      const rendition = new Uint8Array(
        await (await fetch(profile.photo.urls['256']!)).arrayBuffer(),
      );
      expect(await renditionFacts(rendition)).toMatchObject({
        format: 'webp',
        width: 256,
        height: 256,
        metadata: [],
        markers: [],
      });
    } finally {
      expect(await stop(child)).toBe(0);
    }
  });

  it('runs the README jwt walk-through as printed, with tokens from pnpm dev-token', async () => {
    const env = { DATA_DIR: join(dir, 'jwt-data') };
    const { child, url } = await start({
      ...env,
      AUTH_MODE: 'jwt',
      AUTH_DEV_KEYS: 'true',
      DYNAMODB_ENDPOINT: testEndpoint(),
      TABLE_NAME: `readme-jwt-${randomUUID()}`,
    });
    try {
      const walk =
        /### Try jwt mode locally[\s\S]*?```sh\n[\s\S]*?```[\s\S]*?```sh\n([\s\S]*?)```/.exec(
          readme,
        )?.[1];
      expect(walk).toBeDefined();
      const script = walk!.replaceAll('http://127.0.0.1:3000', url);
      const out = execFileSync('bash', ['-euo', 'pipefail', '-c', script], {
        encoding: 'utf8',
        cwd: join(packageDir, '../..'),
        env: { ...process.env, ...env },
      });
      expect(out).toContain('HTTP/1.1 401 Unauthorized');
      expect(out).toMatch(/www-authenticate: Bearer realm="userprofile"/i);
      expect(out).toContain('"userId":"0b5f3c1e-6c1d-4e0a-9d53-7c2a2f1b9e01"');
      expect(out).toContain('"code":"FORBIDDEN"');
      expect(out).toContain('"count":1}');
      // The suspension, then the list of suspended profiles, then its history, as printed.
      expect(out).toMatch(/\{"reason":"SPAM","until":"[^"]+","suspendedBy":"[0-9a-f-]+"/);
      expect(out).toMatch(/"blocked":true,[^\n]*"suspension":\{"reason":"SPAM"/);
      expect(out.trim()).toMatch(
        /^.*\{"userId":"0b5f3c1e-6c1d-4e0a-9d53-7c2a2f1b9e01","suspensions":\[\{"reason":"SPAM"[^\n]*\]\}$/s,
      );
    } finally {
      expect(await stop(child)).toBe(0);
    }
  });

  it('takes an empty body with a JSON content type on GET, HEAD, OPTIONS and DELETE, and refuses it on POST, PUT and PATCH', async () => {
    const { child, url } = await start({
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
      expect(await stop(child)).toBe(0);
    }
  });

  it('refuses development tokens and keys outside a local environment', async () => {
    await expect(
      start({ AUTH_MODE: 'jwt', AUTH_DEV_KEYS: 'true', ENVIRONMENT: 'prod' }),
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
          DATA_DIR: join(dir, 'never'),
        },
      }),
    ).toThrow(/for a local machine only/);
  });

  it('starts its own DynamoDB Local, keeps profiles across a restart, and stops it on SIGTERM', async () => {
    const env = { DATA_DIR: join(dir, 'data') };
    const first = await start(env);
    const created = await fetch(`${first.url}/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'kept@example.com', firstName: 'Kept', lastName: 'Across' }),
    });
    expect(created.status).toBe(201);
    const { userId } = (await created.json()) as { userId: string };
    expect(await stop(first.child)).toBe(0);
    expect(javaProcessesUsing(dir)).toBe(0);

    const second = await start(env);
    try {
      const res = await fetch(`${second.url}/users/${userId}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ email: 'kept@example.com' });
    } finally {
      expect(await stop(second.child)).toBe(0);
    }
    expect(javaProcessesUsing(dir)).toBe(0);
  });

  it('runs beside another local server, each on its own PORT, DATA_DIR and S3 server, both taking photo uploads', async () => {
    // Each DynamoDB Local of its own takes a free port already (see the restart test above).
    const own = () =>
      start({ DYNAMODB_ENDPOINT: testEndpoint(), TABLE_NAME: `side-${randomUUID()}` });
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
      for (const server of servers) expect(await stop(server.child)).toBe(0);
    }
  });

  it('refuses to start when its S3 port is taken, and says to set S3_PORT', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const attempt = start({ DYNAMODB_ENDPOINT: testEndpoint(), S3_PORT: String(port) });
      await expect(
        attempt.then(async (server) => {
          await stop(server.child);
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

    const onTerminal = await start(env, { terminal: true });
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
      await stop(onTerminal.child);
    }

    const piped = await start(env);
    try {
      await until(() => listening.test(piped.output()));
      const line = piped
        .output()
        .split('\n')
        .find((l) => listening.test(l))!;
      expect(JSON.parse(line)).toMatchObject({ level: 30, msg: expect.stringMatching(listening) });
    } finally {
      expect(await stop(piped.child)).toBe(0);
    }
  });

  it('refuses to start on a bad setting, naming it', async () => {
    await expect(start({ PORT: 'abc' } as NodeJS.ProcessEnv)).rejects.toThrow(
      /PORT must be an integer/,
    );
  });
});

function javaProcessesUsing(dir: string): number {
  try {
    return execFileSync('pgrep', ['-f', `DynamoDBLocal.jar.*${dir}`], { encoding: 'utf8' })
      .trim()
      .split('\n').length;
  } catch {
    return 0; // pgrep exits 1 when nothing matches
  }
}

/** One HTTP request with exactly these headers and no body. */
function raw(
  url: string,
  method: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The S3 server's endpoint that the local server reports at start. */
function s3EndpointIn(output: string): string {
  const endpoint = /S3 \(s3rver\) at (http:\/\/127\.0\.0\.1:\d+),/.exec(output)?.[1];
  if (!endpoint) throw new Error(`no S3 endpoint in the log:\n${output}`);
  return endpoint;
}

const samplePhoto = readFileSync(join(packageDir, '../../docs/sample-photo.jpg'));

/** A new profile's photo upload ticket for the sample photo. */
async function photoTicket(
  url: string,
  email: string,
): Promise<{ url: string; fields: Record<string, string> }> {
  const json = { 'content-type': 'application/json' };
  const created = await fetch(`${url}/users`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ email, firstName: 'Side', lastName: 'By' }),
  });
  expect(created.status).toBe(201);
  const { userId } = (await created.json()) as { userId: string };
  const ticket = await fetch(`${url}/users/${userId}/photo`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ contentType: 'image/jpeg', contentLength: samplePhoto.length }),
  });
  expect(ticket.status).toBe(201);
  return (await ticket.json()) as { url: string; fields: Record<string, string> };
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
