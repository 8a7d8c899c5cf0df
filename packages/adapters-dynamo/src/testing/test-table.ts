import { CreateTableCommand, DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { createDynamoClients } from '../dynamo-client';
import { createTableInput, ensureSearchTable, ensureTable } from '../table-bootstrap';
import { SEARCH_TABLE } from '../table-definition';
import type { TableContents } from './invariants';

/** Set by the integration tests' global setup (tools/dynamodb-local/global-setup.ts). */
export function testEndpoint(): string {
  const endpoint = process.env.USERPROFILE_TEST_DYNAMODB_ENDPOINT;
  if (!endpoint) {
    throw new Error(
      'No DynamoDB Local endpoint: integration tests run through the jest "integration" project.',
    );
  }
  return endpoint;
}

let shared: ReturnType<typeof createDynamoClients> | undefined;

/** One client per test process, as in production. */
export function testClients(): ReturnType<typeof createDynamoClients> {
  shared ??= createDynamoClients({ endpoint: testEndpoint(), requestTimeoutMs: 5_000 });
  return shared;
}

/** Every item of a table, read consistently. */
async function scan(tableName: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await testClients().documentClient.send(
      new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/**
 * A fresh profile table and its search table (`<name>-search`, the name the configuration
 * derives locally) from the shared definitions, with ways to read every item of each and to drop
 * both. It is the `ProfileTables` a repository takes.
 */
export async function createTestTable(): Promise<{
  tableName: string;
  searchTableName: string;
  /** Every item of the profile table. */
  scanAll(): Promise<Record<string, unknown>[]>;
  /** Every item of the search table. */
  scanSearch(): Promise<Record<string, unknown>[]>;
  /** Both tables' items, as `checkInvariants` takes them. */
  contents(): Promise<TableContents>;
  deleteItem(key: Record<string, unknown>): Promise<void>;
  drop(): Promise<void>;
}> {
  const { client, documentClient } = testClients();
  const tableName = `test-${randomUUID()}`;
  const searchTableName = `${tableName}-search`;
  await Promise.all([ensureTable(client, tableName), ensureSearchTable(client, searchTableName)]);
  return {
    tableName,
    searchTableName,
    scanAll: () => scan(tableName),
    scanSearch: () => scan(searchTableName),
    async contents() {
      const [items, searchItems] = await Promise.all([scan(tableName), scan(searchTableName)]);
      return { items, searchItems };
    },
    async deleteItem(key) {
      await documentClient.send(new DeleteCommand({ TableName: tableName, Key: key }));
    },
    async drop() {
      await Promise.all(
        [tableName, searchTableName].map((TableName) =>
          client.send(new DeleteTableCommand({ TableName })),
        ),
      );
    },
  };
}

/**
 * A profile table as deployed under ADR 0021, before the search table: the shared definition with
 * the `SearchIndex` it then had. Answers a function that deletes it.
 */
export async function createTableWithOldSearchIndex(
  tableName: string,
): Promise<() => Promise<void>> {
  const { client } = testClients();
  const input = createTableInput(tableName);
  const { searchIndex } = SEARCH_TABLE;
  await client.send(
    new CreateTableCommand({
      ...input,
      AttributeDefinitions: [
        ...input.AttributeDefinitions!,
        {
          AttributeName: searchIndex.partitionKey.name,
          AttributeType: searchIndex.partitionKey.type,
        },
      ],
      GlobalSecondaryIndexes: [
        ...input.GlobalSecondaryIndexes!,
        {
          IndexName: searchIndex.indexName,
          KeySchema: [
            { AttributeName: searchIndex.partitionKey.name, KeyType: 'HASH' },
            { AttributeName: searchIndex.sortKey.name, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: searchIndex.projection },
        },
      ],
    }),
  );
  return async () => void (await client.send(new DeleteTableCommand({ TableName: tableName })));
}
