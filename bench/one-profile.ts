import {
  createDynamoClients,
  DynamoUserProfileRepository,
  ensureSearchTable,
  ensureTable,
} from '@userprofile/adapters-dynamo';
import { newUserProfile, type UserProfile } from '@userprofile/domain';
import { randomUUID } from 'node:crypto';

/**
 * A table of the shared definition on the DynamoDB Local at `endpoint`, holding one profile made
 * of `fields`, and the environment a Lambda asset reads that table with: what a cold-start bench
 * answers its first request from.
 */
export async function tableWithOneProfile(
  endpoint: string,
  tableName: string,
  fields: Record<string, unknown>,
): Promise<{ profile: UserProfile; env: Record<string, string | undefined> }> {
  const { client, documentClient } = createDynamoClients({ endpoint, requestTimeoutMs: 10_000 });
  const searchTableName = `${tableName}-search`;
  await ensureTable(client, tableName);
  await ensureSearchTable(client, searchTableName);
  const profile = newUserProfile(fields, { userId: randomUUID(), now: new Date() });
  await new DynamoUserProfileRepository(documentClient, { tableName, searchTableName }).create(
    profile,
  );
  return {
    profile,
    env: {
      PATH: process.env.PATH,
      DYNAMODB_ENDPOINT: endpoint,
      AWS_REGION: 'us-east-1',
      TABLE_NAME: tableName,
      SEARCH_TABLE_NAME: searchTableName,
    },
  };
}
