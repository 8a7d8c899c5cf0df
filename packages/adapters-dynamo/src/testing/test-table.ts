import { CreateTableCommand, DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { createDynamoClients } from '../dynamo-client';
import { createTableInput, ensureTable } from '../table-bootstrap';
import { USER_PROFILE_TABLE } from '../table-definition';

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

/** A fresh table from the shared definition, with a way to read every item and to drop it. */
export async function createTestTable(): Promise<{
  tableName: string;
  scanAll(): Promise<Record<string, unknown>[]>;
  deleteItem(key: Record<string, unknown>): Promise<void>;
  drop(): Promise<void>;
}> {
  const { client, documentClient } = testClients();
  const tableName = `test-${randomUUID()}`;
  await ensureTable(client, tableName);
  return {
    tableName,
    async scanAll() {
      const items: Record<string, unknown>[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await documentClient.send(
          new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey }),
        );
        items.push(...(page.Items ?? []));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return items;
    },
    async deleteItem(key) {
      await documentClient.send(new DeleteCommand({ TableName: tableName, Key: key }));
    },
    async drop() {
      await client.send(new DeleteTableCommand({ TableName: tableName }));
    },
  };
}

/**
 * A table as deployed before the search (ADR 0021): the shared definition without `SearchIndex`.
 * Answers a function that deletes it.
 */
export async function createTableWithoutSearchIndex(
  tableName: string,
): Promise<() => Promise<void>> {
  const { client } = testClients();
  const input = createTableInput(tableName);
  await client.send(
    new CreateTableCommand({
      ...input,
      GlobalSecondaryIndexes: input.GlobalSecondaryIndexes!.filter(
        (i) => i.IndexName !== USER_PROFILE_TABLE.searchIndex.indexName,
      ),
      AttributeDefinitions: input.AttributeDefinitions!.filter(
        (a) => a.AttributeName !== USER_PROFILE_TABLE.searchIndex.partitionKey.name,
      ),
    }),
  );
  return async () => void (await client.send(new DeleteTableCommand({ TableName: tableName })));
}
