import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { SEARCH_TABLE, USER_PROFILE_TABLE as T } from './table-definition';

/** The table as a CreateTable request (on-demand billing), derived from the shared definition. */
export function createTableInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: T.partitionKey.name, AttributeType: T.partitionKey.type },
      {
        AttributeName: T.listIndex.partitionKey.name,
        AttributeType: T.listIndex.partitionKey.type,
      },
      { AttributeName: T.listIndex.sortKey.name, AttributeType: T.listIndex.sortKey.type },
    ],
    KeySchema: [{ AttributeName: T.partitionKey.name, KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [
      {
        IndexName: T.listIndex.indexName,
        KeySchema: [
          { AttributeName: T.listIndex.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: T.listIndex.sortKey.name, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: T.listIndex.projection },
      },
    ],
    StreamSpecification: { StreamEnabled: true, StreamViewType: T.stream },
  };
}

/** The search table as a CreateTable request (on-demand billing, no stream: ADR 0025). */
function createSearchTableInput(tableName: string): CreateTableCommandInput {
  const S = SEARCH_TABLE;
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [S.partitionKey, S.searchIndex.partitionKey, S.searchIndex.sortKey].map(
      (a) => ({ AttributeName: a.name, AttributeType: a.type }),
    ),
    KeySchema: [{ AttributeName: S.partitionKey.name, KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [
      {
        IndexName: S.searchIndex.indexName,
        KeySchema: [
          { AttributeName: S.searchIndex.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: S.searchIndex.sortKey.name, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: S.searchIndex.projection },
      },
    ],
  };
}

/**
 * Creates the table when it is missing (local server and tests only; the deployed table belongs to
 * the CDK stack). Returns true when it created one.
 */
export function ensureTable(client: DynamoDBClient, tableName: string): Promise<boolean> {
  return ensureTableFrom(client, createTableInput(tableName), T.timeToLiveAttribute);
}

/**
 * Creates the search table when it is missing (local server and tests only; the deployed one
 * belongs to the CDK stack). Returns true when it created one.
 */
export function ensureSearchTable(client: DynamoDBClient, tableName: string): Promise<boolean> {
  return ensureTableFrom(client, createSearchTableInput(tableName));
}

/** Creates the table of `input` when it is missing, with TTL on `ttlAttribute` if given. */
export async function ensureTableFrom(
  client: DynamoDBClient,
  input: CreateTableCommandInput,
  ttlAttribute?: string,
): Promise<boolean> {
  const tableName = input.TableName!;
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return false;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  try {
    await client.send(new CreateTableCommand(input));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: tableName });
  if (ttlAttribute === undefined) return true;
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true },
    }),
  );
  return true;
}
