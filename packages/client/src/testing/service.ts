import { createTestTable, testEndpoint } from '@userprofile/adapters-dynamo/testing';
import {
  buildApp,
  createContainer,
  loadConfig,
  photoAdapters,
  photoModule,
} from '@userprofile/adapters-http';
import { startTestS3 } from '@userprofile/adapters-s3/testing';
import type { FastifyInstance } from 'fastify';

/** The service as the local server runs it, listening on a port, on DynamoDB Local and a local S3 server. */
export async function startService(env: NodeJS.ProcessEnv = {}) {
  const table = await createTestTable();
  const s3 = await startTestS3();
  const config = loadConfig({
    TABLE_NAME: table.tableName,
    DYNAMODB_ENDPOINT: testEndpoint(),
    S3_ENDPOINT: s3.endpoint,
    PHOTOS_BUCKET: s3.bucket,
    ...env,
  });
  const container = createContainer(config);
  container.loadSync(photoModule(photoAdapters(config)));
  const app: FastifyInstance = buildApp(container, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    keys: () => s3.keys(),
    stop: async () => {
      await app.close();
      await table.drop();
      await s3.stop();
    },
  };
}
