export {
  NO_JAVA_MESSAGE,
  dynamoDbLocalFolder,
  freePort,
  javaAvailable,
  startDynamoDbLocal,
  type DynamoDbLocalOptions,
  type RunningDynamoDbLocal,
} from './dynamodb-local';
