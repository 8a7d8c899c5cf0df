// Servers for running and testing the service on one machine, no cloud account: DynamoDB Local
// (AWS's jar) and an S3-compatible server that checks POST policies as S3 does. Development only:
// no deployable bundle carries any of it.
export {
  NO_JAVA_MESSAGE,
  dynamoDbLocalFolder,
  freePort,
  javaAvailable,
  startDynamoDbLocal,
  waitForHttp,
  type DynamoDbLocalOptions,
  type RunningDynamoDbLocal,
} from './dynamodb-local';
import type { LocalS3Options, RunningLocalS3 } from './local-s3';

export type { LocalS3Options, RunningLocalS3 };

/**
 * The local S3 server (`./local-s3`), its module loaded by the first call: s3rver requires about
 * 280 modules (koa, winston, lodash, fs-extra...), about 40 MB of a process's memory, which a
 * server configured with a real S3 endpoint would otherwise hold for nothing (ADR 0029).
 */
export async function startLocalS3(options: LocalS3Options): Promise<RunningLocalS3> {
  const { startLocalS3: start } = await import('./local-s3');
  return start(options);
}
