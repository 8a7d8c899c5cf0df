import {
  DescribeTableCommand,
  UpdateTableCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { toProfile } from './profile-item';
import { searchItemsOf } from './search-items';
import { sleep } from './write-outcomes';
import { USER_PROFILE_TABLE as T } from './table-definition';

/**
 * A table made before the search (a local server's data directory): adds `SearchIndex` and writes
 * the search items of the profiles it holds. Returns how many profiles it indexed, or `undefined`
 * when the table already had the index. Local server and tests only: a deployed table gets the
 * index from the CDK stack, and its profiles' items from a backfill job of the same kind.
 */
export async function addSearchIndex(
  client: DynamoDBClient,
  db: DynamoDBDocumentClient,
  tableName: string,
): Promise<number | undefined> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const has = (Table?.GlobalSecondaryIndexes ?? []).some(
    (i) => i.IndexName === T.searchIndex.indexName,
  );
  if (has) return undefined;
  await client.send(
    new UpdateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [
        {
          AttributeName: T.searchIndex.partitionKey.name,
          AttributeType: T.searchIndex.partitionKey.type,
        },
        { AttributeName: T.searchIndex.sortKey.name, AttributeType: T.searchIndex.sortKey.type },
      ],
      GlobalSecondaryIndexUpdates: [
        {
          Create: {
            IndexName: T.searchIndex.indexName,
            KeySchema: [
              { AttributeName: T.searchIndex.partitionKey.name, KeyType: 'HASH' },
              { AttributeName: T.searchIndex.sortKey.name, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: T.searchIndex.projection },
          },
        },
      ],
    }),
  );
  for (let waited = 0; ; waited += 200) {
    const { Table: now } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const index = now?.GlobalSecondaryIndexes?.find((i) => i.IndexName === T.searchIndex.indexName);
    if (index?.IndexStatus === 'ACTIVE') break;
    if (waited > 60_000) throw new Error(`${tableName}: SearchIndex is not active after a minute`);
    await sleep(200);
  }
  return backfillSearchItems(db, tableName);
}

/** Writes the search items of every profile in the table (a full scan: a one-off job). */
async function backfillSearchItems(db: DynamoDBDocumentClient, tableName: string): Promise<number> {
  let indexed = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'itemType = :profile',
        ExpressionAttributeValues: { ':profile': 'PROFILE' },
        ExclusiveStartKey: startKey,
      }),
    );
    const items = (page.Items ?? []).flatMap((item) => {
      const profile = toProfile(item);
      return profile ? searchItemsOf(profile) : [];
    });
    indexed += page.Items?.length ?? 0;
    for (let i = 0; i < items.length; i += 25) {
      let batch = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
      while (batch.length > 0) {
        const res = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: batch } }));
        batch = (res.UnprocessedItems?.[tableName] ?? []) as typeof batch;
      }
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return indexed;
}
