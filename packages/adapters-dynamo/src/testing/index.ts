export {
  createTableWithOldSearchIndex,
  createTestTable,
  testClients,
  testEndpoint,
} from './test-table';
export { checkInvariants, type TableContents } from './invariants';
export { startPausableDynamoDb, type PausableDynamoDb } from './pausable-dynamodb';
export { createEventTestTable } from './event-test-table';
export { profileStreamRecord } from './stream-records';
