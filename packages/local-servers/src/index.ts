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
export { startLocalS3, type LocalS3Options, type RunningLocalS3 } from './local-s3';
