import { ensureTable, migrateSearchTable } from '@userprofile/adapters-dynamo';
import {
  NO_JAVA_MESSAGE,
  javaAvailable,
  startDynamoDbLocal,
  type RunningDynamoDbLocal,
} from '@userprofile/local-servers';
import { startLocalS3, type RunningLocalS3 } from '@userprofile/local-servers';
import type { FastifyBaseLogger } from 'fastify';
import { resolve } from 'node:path';
import { buildApp, LISTENING_SERVER_TIMEOUTS } from './app';
import { startChangeFeed } from './change-feed';
import { ConfigError, loadConfig, localS3Endpoint, withLocalS3, type AppConfig } from './config';
import { createContainer } from './container';
import { localLogStream } from './local-log';
import { openApiDocument } from './http/openapi';
import { adminConsole } from './http/admin-console';
import { openApiUi } from './http/openapi-ui';
import { photoAdapters } from './photo-adapters';
import { photoModule } from './photo-module';
import { writeRateLimit } from './http/rate-limit';
import { TOKENS } from './tokens';

/**
 * The local server: starts DynamoDB Local (data kept in DATA_DIR) unless DYNAMODB_ENDPOINT points
 * at one, and an S3-compatible server for photos (in DATA_DIR/s3) unless S3_ENDPOINT points at
 * one; creates the table when it is missing, and serves the API until Ctrl-C or SIGTERM.
 */
async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }

  const dynamo = await withLocalDynamo(config);
  const photoStore = await withLocalPhotoStore(dynamo.config, dynamo.local);
  config = photoStore.config;
  const { local } = dynamo;
  const { s3 } = photoStore;

  // DynamoDB Local is one JVM on a developer's (or CI's) busy cores: a transaction of a profile
  // and its search items may take seconds there. The local server gives it the 5 s the tests do;
  // a Lambda keeps the client's 1 s, which its answer margin before the timeout counts on.
  const container = createContainer(
    config,
    config.dynamodbEndpoint ? { storageRequestTimeoutMs: 5_000 } : {},
  );
  const photos = photoAdapters(config);
  container.loadSync(photoModule(photos));
  const app = buildApp(container, {
    logger: { stream: localLogStream() },
    extensions: [openApiDocument, openApiUi, adminConsole(), writeRateLimit],
    server: LISTENING_SERVER_TIMEOUTS,
  });

  let feed: Awaited<ReturnType<typeof startChangeFeed>>;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'stopping');
    // Any decode in progress ends now (its commit answers 503), so closing waits for nothing.
    await photos.processor.close();
    await feed?.stop();
    await app.close();
    await s3?.stop();
    await local?.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  try {
    await ensureTables(container, config, app.log);
    feed = await startChangeFeed(container, config, app.log);
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await feed?.stop();
    await s3?.stop();
    await local?.stop();
    throw error;
  }
  app.log.info(
    `API on http://${config.host}:${config.port} (docs at /docs, OpenAPI at /openapi.json, admin console at /admin/)`,
  );
  // What AWS does daily on a schedule, done here at each start, beside serving.
  container
    .get(TOKENS.SweepOrphanRenditions)
    .execute()
    .then(
      ({ examined, deleted }) =>
        app.log.info({ examined, deleted: deleted.length }, 'swept orphan photo renditions'),
      (error: unknown) => app.log.warn({ err: error }, 'the orphan photo sweep failed'),
    );
}

/**
 * The profile table and the search table, created when missing; a search table new beside an
 * older data directory's profiles gets their search items (ADR 0021, ADR 0025).
 */
async function ensureTables(
  container: ReturnType<typeof createContainer>,
  config: AppConfig,
  log: FastifyBaseLogger,
): Promise<void> {
  const client = container.get(TOKENS.DynamoClient);
  const { tableName, searchTableName } = config;
  if (await ensureTable(client, tableName)) {
    log.info({ table: tableName }, 'created the table from the shared definition');
  }
  if (searchTableName === undefined) return;
  const tables = { tableName, searchTableName };
  const migrated = await migrateSearchTable(client, container.get(TOKENS.DocumentClient), tables);
  if (migrated !== undefined) {
    log.info({ table: searchTableName, ...migrated }, 'made the search table (ADR 0025)');
  }
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

/** DynamoDB Local, started when no endpoint is configured, with the config pointing at it. */
async function withLocalDynamo(
  config: AppConfig,
): Promise<{ config: AppConfig; local?: RunningDynamoDbLocal }> {
  if (config.dynamodbEndpoint) return { config };
  if (!javaAvailable()) fail(`Cannot start DynamoDB Local. ${NO_JAVA_MESSAGE}`);
  const dbPath = resolve(config.dataDir);
  const local = await startDynamoDbLocal({ dbPath });
  console.log(`DynamoDB Local at ${local.endpoint}, data in ${dbPath}`);
  return { config: { ...config, dynamodbEndpoint: local.endpoint }, local };
}

/** The local S3 server, started when no endpoint is configured, with the config pointing at it. */
async function withLocalPhotoStore(
  config: AppConfig,
  local: RunningDynamoDbLocal | undefined,
): Promise<{ config: AppConfig; s3?: RunningLocalS3 }> {
  if (config.photos.s3Endpoint) return { config };
  const directory = resolve(config.dataDir, 's3');
  const s3 = await startLocalS3({
    directory,
    bucket: config.photos.bucket,
    port: config.localS3Port,
  }).catch(async (error: unknown) => {
    await local?.stop();
    fail(
      `Cannot start the local S3 server on ${localS3Endpoint(config.localS3Port)}: ${String(error)}\n` +
        'Set S3_PORT to another port, or to 0 for any free one (another local server may be running).',
    );
  });
  const withS3 = withLocalS3(config, s3.endpoint);
  console.log(
    `S3 (s3rver) at ${s3.endpoint}, bucket ${withS3.photos.bucket}, data in ${directory}; photos served from ${withS3.photos.publicUrl}`,
  );
  return { config: withS3, s3 };
}
