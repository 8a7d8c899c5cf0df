import { testEndpoint } from '@userprofile/adapters-dynamo/testing';
import {
  buildServerBundle,
  startBundledServer,
  type BundledServer,
} from '@userprofile/adapters-http/testing-server';
import { startLocalS3 } from '@userprofile/local-servers';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const consoleDir = join(__dirname, '../..');
const httpDir = join(consoleDir, '../adapters-http');

/** The console built as `pnpm start` builds it (vite build), into a directory of its own. */
function buildConsole(outDir: string): void {
  execFileSync(
    process.execPath,
    [
      join(consoleDir, 'node_modules/vite/bin/vite.js'),
      'build',
      '--outDir',
      outDir,
      '--emptyOutDir',
    ],
    { cwd: consoleDir, stdio: 'pipe' },
  );
}

/**
 * The local server as `./scripts/start` runs it (bundled), in jwt mode with development keys,
 * serving the console built here, on the test run's DynamoDB Local and an S3 server of its own;
 * and `token` mints development tokens it trusts (`pnpm dev-token`).
 */
export async function startConsoleServer() {
  const dir = mkdtempSync(join(tmpdir(), 'admin-console-e2e-'));
  const dataDir = join(dir, 'data');
  buildConsole(join(dir, 'console'));
  const bundle = await buildServerBundle('server-console-e2e');
  const bucket = 'console-e2e-photos';
  const s3 = await startLocalS3({ directory: join(dir, 's3'), bucket, port: 0 });
  let server: BundledServer | undefined;
  try {
    server = await startBundledServer(bundle, {
      AUTH_MODE: 'jwt',
      AUTH_DEV_KEYS: 'true',
      RATE_LIMIT_WRITES: '0',
      DATA_DIR: dataDir,
      DYNAMODB_ENDPOINT: testEndpoint(),
      TABLE_NAME: `console-e2e-${randomUUID()}`,
      S3_ENDPOINT: s3.endpoint,
      PHOTOS_BUCKET: bucket,
      ADMIN_CONSOLE_DIR: join(dir, 'console'),
    });
  } finally {
    if (!server) await s3.stop();
  }
  const running = server;
  const token = (args: string[]) =>
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/dev-token.ts', ...args], {
      cwd: httpDir,
      env: { PATH: process.env.PATH, DATA_DIR: dataDir },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  return {
    url: running.url,
    token,
    output: () => running.output(),
    stop: async () => {
      await running.stop();
      await s3.stop();
      bundle.remove();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
