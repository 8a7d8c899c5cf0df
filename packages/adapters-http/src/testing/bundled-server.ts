import { freePort, waitForHttp } from '@userprofile/local-servers';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const bundleOptions = require('../../bundle-options.cjs') as {
  buildBundle(target: 'server', overrides: { outfile: string }): Promise<unknown>;
};
const packageDir = join(__dirname, '../..');

/** The local server as `./scripts/start` builds it, in a file of its own. */
export interface ServerBundle {
  readonly file: string;
  remove(): void;
}

/** Builds the local server's bundle, next to the package's node_modules (its run-time files). */
export async function buildServerBundle(name: string): Promise<ServerBundle> {
  const file = join(packageDir, 'dist', `${name}-${randomUUID()}.js`);
  await bundleOptions.buildBundle('server', { outfile: file });
  return {
    file,
    remove: () => {
      rmSync(file, { force: true });
      rmSync(`${file}.map`, { force: true });
    },
  };
}

/** A running bundled server: its URL, what it printed, and how to stop it. */
export interface BundledServer {
  readonly url: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts the bundled server on a free port with `env` (and only PATH of this process's), and
 * waits until it is ready; on failure, the error carries what it printed.
 */
export async function startBundledServer(
  bundle: ServerBundle,
  env: Record<string, string>,
): Promise<BundledServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [bundle.file], {
    cwd: packageDir,
    env: { PATH: process.env.PATH, PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/health/ready`, child, 45_000, (res) => res.ok);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${output}`);
  }
  return { url, output: () => output, stop };
}
