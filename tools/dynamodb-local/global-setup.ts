/**
 * Jest global setup of the integration project: one DynamoDB Local for the whole run, found in
 * this order and announced on the console:
 *   1. DYNAMODB_ENDPOINT, when set (a DynamoDB Local of your own);
 *   2. a container started by testcontainers from the image tools/dynamodb-local/build-image.sh
 *      builds on this machine, when a Docker engine answers;
 *   3. `java -jar` DynamoDB Local from the npm package amplify-dynamodb-simulator.
 * DYNAMODB_LOCAL=testcontainers|java forces one path (CI forces testcontainers). When no path
 * works the run fails with what to install: integration tests never skip.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { javaAvailable, NO_JAVA_MESSAGE, startDynamoDbLocal } from '@userprofile/local-servers';

export const ENDPOINT_VARIABLE = 'USERPROFILE_TEST_DYNAMODB_ENDPOINT';

declare global {
  var __dynamoDbLocalStop: (() => Promise<void>) | undefined;
}

function say(message: string): void {
  process.stdout.write(`\n[dynamodb-local] ${message}\n`);
}

function dockerAnswers(): boolean {
  try {
    execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
      stdio: 'ignore',
      timeout: 10_000,
    });
    return true;
  } catch {
    return false;
  }
}

async function startWithTestcontainers(): Promise<string> {
  // Ryuk's image cannot be pulled here; this machine's /.dockerenv would make testcontainers look
  // for the engine's gateway instead of the published ports on localhost.
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  process.env.TESTCONTAINERS_HOST_OVERRIDE ??= 'localhost';
  const image = execFileSync('bash', [join(__dirname, 'build-image.sh')], {
    encoding: 'utf8',
  }).trim();
  const { GenericContainer, Wait } = await import('testcontainers');
  const started = Date.now();
  const container = await new GenericContainer(image)
    .withExposedPorts(8000)
    // Jetty logs "started" before it answers; wait for any HTTP answer instead.
    .withWaitStrategy(Wait.forHttp('/', 8000).forStatusCodeMatching(() => true))
    .withStartupTimeout(60_000)
    .start();
  globalThis.__dynamoDbLocalStop = async () => {
    await container.stop({ timeout: 5_000 });
  };
  const endpoint = `http://${container.getHost()}:${container.getMappedPort(8000)}`;
  say(
    `path: testcontainers (image ${image}, container ${container.getId().slice(0, 12)}, started in ${Date.now() - started} ms) at ${endpoint}`,
  );
  return endpoint;
}

async function startWithJava(): Promise<string> {
  const local = await startDynamoDbLocal();
  globalThis.__dynamoDbLocalStop = local.stop;
  say(`path: java -jar DynamoDB Local (amplify-dynamodb-simulator) at ${local.endpoint}`);
  return local.endpoint;
}

export default async function globalSetup(): Promise<void> {
  // The integration and e2e projects both name this setup: one DynamoDB Local serves both.
  if (process.env[ENDPOINT_VARIABLE]) return;
  const forced = process.env.DYNAMODB_LOCAL ?? 'auto';
  let endpoint: string;
  let path: 'endpoint' | 'testcontainers' | 'java';
  if (process.env.DYNAMODB_ENDPOINT && forced === 'auto') {
    path = 'endpoint';
    endpoint = process.env.DYNAMODB_ENDPOINT;
    say(`path: DYNAMODB_ENDPOINT=${endpoint}`);
  } else if (forced === 'testcontainers' || (forced === 'auto' && dockerAnswers())) {
    if (!dockerAnswers()) {
      throw new Error(
        'DYNAMODB_LOCAL=testcontainers, but no Docker engine answers (start dockerd).',
      );
    }
    path = 'testcontainers';
    endpoint = await startWithTestcontainers();
  } else if (forced === 'java' || (forced === 'auto' && javaAvailable())) {
    path = 'java';
    endpoint = await startWithJava();
  } else {
    throw new Error(
      `Integration tests need DynamoDB Local and none could be started. Either start a Docker engine, or ${NO_JAVA_MESSAGE}`,
    );
  }
  process.env[ENDPOINT_VARIABLE] = endpoint;
  process.env.USERPROFILE_TEST_DYNAMODB_PATH = path;
}
