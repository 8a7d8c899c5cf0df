import { freePort, waitForHttp } from '@userprofile/local-servers';
import { build, type BuildOptions } from 'esbuild';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCommandNodeFlags } from './start-command';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const bundleOptions = require('../../bundle-options.cjs') as { server: BuildOptions };
export const packageDir = join(__dirname, '../..');

/**
 * The local server entry bundled with its own options (its linked source map too), as
 * `./scripts/start` builds it, under a fresh name in `dist/`: next to the package's node_modules,
 * where the bundle finds its run-time files. `remove` deletes the bundle and its map.
 */
export async function buildServerBundle(prefix: string) {
  const serverJs = join(packageDir, 'dist', `${prefix}-${randomUUID()}.js`);
  await build({ ...bundleOptions.server, outfile: serverJs });
  const remove = () => {
    for (const file of [serverJs, `${serverJs}.map`]) rmSync(file, { force: true });
  };
  return { serverJs, remove };
}

/**
 * The local server entry, bundled as `./scripts/start` runs it, for a test file: built once
 * before its tests, each of which starts it in processes of its own (`start`) with a data
 * directory under `dir()`.
 */
export function bundledLocalServer() {
  const state = { dir: '', serverJs: '', remove: () => {} };
  beforeAll(async () => {
    state.dir = mkdtempSync(join(tmpdir(), 'server-'));
    ({ serverJs: state.serverJs, remove: state.remove } = await buildServerBundle('server-test'));
  });
  afterAll(() => {
    rmSync(state.dir, { recursive: true, force: true });
    state.remove();
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
    // With the Node flags of the start command, as `./scripts/start` runs it.
    const flags = startCommandNodeFlags();
    const [command, args] = terminal
      ? [
          'script',
          [
            '-qfec',
            `exec '${process.execPath}' ${flags.join(' ')} '${state.serverJs}'`,
            '/dev/null',
          ],
        ]
      : [process.execPath, [...flags, state.serverJs]];
    const child = spawn(command, args, {
      cwd: packageDir,
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        LOG_LEVEL: 'warn',
        // Its own data (the development key, the embedded S3 server's objects), and its S3 server
        // on a free port: no test takes a fixed one.
        DATA_DIR: join(state.dir, randomUUID()),
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

  return { dir: () => state.dir, start, stop };
}

export function javaProcessesUsing(dir: string): number {
  try {
    return execFileSync('pgrep', ['-f', `DynamoDBLocal.jar.*${dir}`], { encoding: 'utf8' })
      .trim()
      .split('\n').length;
  } catch {
    return 0; // pgrep exits 1 when nothing matches
  }
}

/** One HTTP request with exactly these headers and no body. */
export function raw(
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
export function s3EndpointIn(output: string): string {
  const endpoint = /S3 \(s3rver\) at (http:\/\/127\.0\.0\.1:\d+),/.exec(output)?.[1];
  if (!endpoint) throw new Error(`no S3 endpoint in the log:\n${output}`);
  return endpoint;
}

export const samplePhoto = readFileSync(join(packageDir, '../../docs/sample-photo.jpg'));

/** A new profile's photo upload ticket for the sample photo. */
export async function photoTicket(
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

export async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
