import { startDynamoDbLocal } from '@userprofile/local-servers';

/** Where a test file finds its DynamoDB Local (read by `testEndpoint()`). */
export const ENDPOINT_VARIABLE = 'USERPROFILE_TEST_DYNAMODB_ENDPOINT';
/** How the run has DynamoDB Local: `endpoint`, `testcontainers` or `java` (global-setup.ts). */
export const PATH_VARIABLE = 'USERPROFILE_TEST_DYNAMODB_PATH';
/** The locally built image, on the testcontainers path. */
export const IMAGE_VARIABLE = 'USERPROFILE_TEST_DYNAMODB_IMAGE';

/** A DynamoDB Local started on the run's path, in memory, empty. */
export async function startFresh(): Promise<{
  endpoint: string;
  description: string;
  stop(): Promise<void>;
}> {
  const started = Date.now();
  if (process.env[PATH_VARIABLE] === 'testcontainers') {
    // Ryuk's image cannot be pulled here; this machine's /.dockerenv would make testcontainers
    // look for the engine's gateway instead of the published ports on localhost.
    process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
    process.env.TESTCONTAINERS_HOST_OVERRIDE ??= 'localhost';
    const image = process.env[IMAGE_VARIABLE]!;
    const { GenericContainer, Wait } = await import('testcontainers');
    const container = await new GenericContainer(image)
      .withExposedPorts(8000)
      // Jetty logs "started" before it answers; wait for any HTTP answer instead.
      .withWaitStrategy(Wait.forHttp('/', 8000).forStatusCodeMatching(() => true))
      .withStartupTimeout(60_000)
      .start();
    return {
      endpoint: `http://${container.getHost()}:${container.getMappedPort(8000)}`,
      description: `testcontainers (image ${image}, container started in ${Date.now() - started} ms)`,
      stop: async () => void (await container.stop({ timeout: 5_000 })),
    };
  }
  const local = await startDynamoDbLocal();
  return {
    endpoint: local.endpoint,
    description: `java -jar DynamoDB Local (amplify-dynamodb-simulator, started in ${Date.now() - started} ms)`,
    stop: local.stop,
  };
}
