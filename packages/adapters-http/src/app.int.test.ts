import { DynamoUserProfileRepository } from '@userprofile/adapters-dynamo';
import { createTestTable, testClients } from '@userprofile/adapters-dynamo/testing';
import { describeHttpApi } from './testing/http-api.suite';
import { buildTestApp } from './testing/test-app';

describeHttpApi('DynamoDB Local', async () => {
  const table = await createTestTable();
  const { app } = await buildTestApp({
    repository: new DynamoUserProfileRepository(testClients().documentClient, table.tableName),
  });
  return { app, dispose: table.drop };
});
