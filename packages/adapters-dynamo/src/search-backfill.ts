import {
  DescribeTableCommand,
  TransactionCanceledException,
  UpdateTableCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  ScanCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { toProfile } from './profile-item';
import { searchItemsOf } from './search-items';
import { sleep } from './write-outcomes';
import { USER_PROFILE_TABLE as T } from './table-definition';

/**
 * A table made before the search (a local server's data directory): adds `SearchIndex` and writes
 * the search items of the profiles it holds. Returns how many profiles it indexed, or `undefined`
 * when the table already had the index. Local server and tests only: a deployed table gets the
 * index from the CDK stack, and its profiles' items from `backfillSearchItems` (the
 * `pnpm backfill-search` command).
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

export interface BackfillOptions {
  /** A parallel scan's part (DynamoDB's Segment and TotalSegments): run one job per segment. */
  readonly segment?: number;
  readonly totalSegments?: number;
  /** Called after each page of the scan with the profiles indexed so far. */
  readonly onProgress?: (indexed: number) => void;
}

/**
 * Writes the search items of every profile in the table (a full scan: a one-off job, safe beside
 * live traffic and to run again). Each profile's items are put in one transaction with a check
 * that the profile is still the version read: a profile changed meanwhile is read again, one
 * deleted meanwhile is skipped, so no item of an older name, address or handle is left behind.
 * Answers how many profiles it indexed.
 */
export async function backfillSearchItems(
  db: DynamoDBDocumentClient,
  tableName: string,
  options: BackfillOptions = {},
): Promise<number> {
  const { segment, totalSegments } = options;
  let indexed = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'itemType = :profile',
        ExpressionAttributeValues: { ':profile': 'PROFILE' },
        ExclusiveStartKey: startKey,
        ...(totalSegments === undefined
          ? {}
          : { Segment: segment ?? 0, TotalSegments: totalSegments }),
      }),
    );
    for (const item of page.Items ?? []) {
      if (await indexProfile(db, tableName, item)) indexed++;
    }
    options.onProgress?.(indexed);
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return indexed;
}

/** Puts one profile's search items if it is still the version read; re-reads it when not. */
async function indexProfile(
  db: DynamoDBDocumentClient,
  tableName: string,
  item: Record<string, unknown>,
): Promise<boolean> {
  let current: Record<string, unknown> | undefined = item;
  for (let attempt = 1; current; attempt++) {
    const profile = toProfile(current);
    if (!profile) return false;
    try {
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName: tableName,
                Key: { userId: profile.userId },
                ConditionExpression: '#version = :version',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':version': profile.version },
              },
            },
            ...searchItemsOf(profile).map((Item) => ({ Put: { TableName: tableName, Item } })),
          ],
        }),
      );
      return true;
    } catch (error) {
      // Changed or deleted since it was read, or in another transaction at that moment.
      if (!(error instanceof TransactionCanceledException) || attempt === 10) throw error;
      await sleep(20 * attempt);
      const read = await db.send(
        new GetCommand({
          TableName: tableName,
          Key: { userId: profile.userId },
          ConsistentRead: true,
        }),
      );
      current = read.Item;
    }
  }
  return false;
}
