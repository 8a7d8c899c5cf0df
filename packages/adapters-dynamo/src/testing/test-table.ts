import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { createDynamoClients } from '../dynamo-client';
import { ensureTable } from '../table-bootstrap';

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
