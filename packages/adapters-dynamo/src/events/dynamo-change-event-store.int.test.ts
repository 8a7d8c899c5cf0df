import { describeChangeEventStoreContract } from '@userprofile/domain/testing';
import { createEventTestTable } from '../testing/event-test-table';
import { testClients } from '../testing/test-table';
import { DynamoChangeEventStore } from './dynamo-change-event-store';

describeChangeEventStoreContract('DynamoDB', async () => {
  const table = await createEventTestTable();
  const store = new DynamoChangeEventStore(testClients().documentClient, table.tableName, {
    settleMs: 0,
  });
  return { store, dispose: table.drop };
});
