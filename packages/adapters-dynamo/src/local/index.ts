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
