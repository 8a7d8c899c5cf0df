import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

export interface RunningDynamoDbLocal {
  readonly endpoint: string;
  /** The java process, e.g. to freeze it (SIGSTOP) in a fault test. */
  readonly pid: number;
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  /** @default a free port */
  readonly port?: number;
  /** Folder for the database file; in memory when unset. */
  readonly dbPath?: string;
  /** Java heap, MB. An in-memory database lives in it: give it room for the data. @default 1024 */
  readonly heapMb?: number;
}

/** The folder of AWS's DynamoDB Local inside the npm package `amplify-dynamodb-simulator`. */
export function dynamoDbLocalFolder(): string {
  return join(dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
}

export function javaAvailable(): boolean {
  return spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0;
}

export const NO_JAVA_MESSAGE =
  'DynamoDB Local needs Java 17+ on PATH (Debian/Ubuntu: apt-get install -y openjdk-17-jre-headless), ' +
  'or set DYNAMODB_ENDPOINT to a DynamoDB Local you run yourself, e.g. http://127.0.0.1:8000.';

/** Starts AWS's DynamoDB Local with `java -jar` and waits until it answers HTTP. */
export async function startDynamoDbLocal(
  options: DynamoDbLocalOptions = {},
): Promise<RunningDynamoDbLocal> {
  if (!javaAvailable()) throw new Error(NO_JAVA_MESSAGE);
  const folder = dynamoDbLocalFolder();
  const port = options.port ?? (await freePort());
  const storage = options.dbPath ? ['-dbPath', options.dbPath] : ['-inMemory'];
  if (options.dbPath) mkdirSync(options.dbPath, { recursive: true });
  const child = spawn(
    'java',
    [
      `-Djava.library.path=${join(folder, 'DynamoDBLocal_lib')}`,
      `-Xmx${options.heapMb ?? 1024}m`,
      '-jar',
      join(folder, 'DynamoDBLocal.jar'),
      ...storage,
      '-sharedDb',
      '-port',
      String(port),
    ],
    { cwd: folder, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(endpoint, child, 30_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`DynamoDB Local did not start: ${(error as Error).message}\n${stderr}`);
  }
  return { endpoint, pid: child.pid!, stop: () => stopChild(child) };
}

/**
 * Waits until a process it started answers HTTP at `url`: any answer, or one that `ready` accepts
 * (a readiness route's 200, say). Fails at once when the process exits, and after `timeoutMs`.
 */
export async function waitForHttp(
  url: string,
  child: ChildProcess,
  timeoutMs: number,
  ready: (response: Response) => boolean = () => true,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the process exited with code ${child.exitCode}`);
    try {
      if (ready(await fetch(url, { signal: AbortSignal.timeout(1000) }))) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no ready answer from ${url} within ${timeoutMs} ms`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}
