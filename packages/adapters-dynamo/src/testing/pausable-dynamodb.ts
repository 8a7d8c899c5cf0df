import { startDynamoDbLocal } from '@userprofile/local-servers';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** A DynamoDB Local of its own for one fault test, that the test can freeze and thaw. */
export interface PausableDynamoDb {
  readonly endpoint: string;
  /** Which kind of freeze: `docker pause` of a container, or SIGSTOP of the java process. */
  readonly how: string;
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

/**
 * On the testcontainers path (set by the integration tests' global setup) a container of the
 * locally built image, frozen with `docker pause`; otherwise `java -jar`, frozen with SIGSTOP.
 */
export async function startPausableDynamoDb(): Promise<PausableDynamoDb> {
  if (process.env.USERPROFILE_TEST_DYNAMODB_PATH === 'testcontainers') {
    const root = join(__dirname, '../../../..');
    const image = execFileSync('bash', [join(root, 'tools/dynamodb-local/build-image.sh')], {
      encoding: 'utf8',
    }).trim();
    const { GenericContainer, Wait } = await import('testcontainers');
    const container = await new GenericContainer(image)
      .withExposedPorts(8000)
      .withWaitStrategy(Wait.forHttp('/', 8000).forStatusCodeMatching(() => true))
      .start();
    const id = container.getId();
    return {
      endpoint: `http://${container.getHost()}:${container.getMappedPort(8000)}`,
      how: `docker pause of container ${id.slice(0, 12)}`,
      pause: () => execFileSync('docker', ['pause', id]),
      resume: () => execFileSync('docker', ['unpause', id]),
      stop: async () => {
        await container.stop({ timeout: 2_000 });
      },
    };
  }
  const local = await startDynamoDbLocal();
  return {
    endpoint: local.endpoint,
    how: `SIGSTOP of java pid ${local.pid}`,
    pause: () => process.kill(local.pid, 'SIGSTOP'),
    resume: () => process.kill(local.pid, 'SIGCONT'),
    stop: async () => {
      process.kill(local.pid, 'SIGCONT');
      await local.stop();
    },
  };
}
