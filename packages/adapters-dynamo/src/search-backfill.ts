import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  GetCommand,
  ScanCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { ITEM_TYPE, toProfile } from './profile-item';
import type { ProfileTables } from './profile-tables';
import { SEARCH_ITEM_TYPE, searchItemsOf } from './search-items';
import { sleep } from './write-outcomes';

/** DynamoDB's limit of requests in one BatchWriteItem. */
const BATCH_WRITE_MAX = 25;
/** Rounds of a batch's unprocessed deletes (under throttling) before the job gives up. */
const UNPROCESSED_ROUNDS = 10;

export interface BackfillOptions {
  /** A parallel scan's part (DynamoDB's Segment and TotalSegments): run one job per segment. */
  readonly segment?: number;
  readonly totalSegments?: number;
  /** Called after each page of the scan with what was done so far. */
  readonly onProgress?: (done: BackfillCount) => void;
}

/** Profiles whose search items were written, and search items removed from the profile table. */
export interface BackfillCount {
  indexed: number;
  removed: number;
}

/**
 * Writes the search items of every profile of the profile table into the search table, and
 * deletes the search items a stack deployed before ADR 0025 left in the profile table (a full
 * scan: a one-off job, safe beside live traffic and to run again). Each profile's items are put
 * in one transaction with a check that the profile is still the version read: a profile changed
 * meanwhile is read again, one deleted meanwhile is skipped, so no item of an older name,
 * address or handle is left behind. The items left in the profile table are no one's any more
 * (the service writes search items only to the search table), so they are deleted as found.
 */
export async function backfillSearchItems(
  db: DynamoDBDocumentClient,
  tables: Required<ProfileTables>,
  options: BackfillOptions = {},
): Promise<BackfillCount> {
  const { segment, totalSegments } = options;
  const done: BackfillCount = { indexed: 0, removed: 0 };
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: tables.tableName,
        FilterExpression: 'itemType IN (:profile, :search)',
        ExpressionAttributeValues: { ':profile': ITEM_TYPE.profile, ':search': SEARCH_ITEM_TYPE },
        ExclusiveStartKey: startKey,
        ...(totalSegments === undefined
          ? {}
          : { Segment: segment ?? 0, TotalSegments: totalSegments }),
      }),
    );
    const items = page.Items ?? [];
    const leftovers = items.filter((i) => i.itemType === SEARCH_ITEM_TYPE);
    done.removed += await deleteAll(db, tables.tableName, leftovers);
    for (const item of items.filter((i) => i.itemType === ITEM_TYPE.profile)) {
      if (await indexProfile(db, tables, item)) done.indexed++;
    }
    options.onProgress?.({ ...done });
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return done;
}

/** Puts one profile's search items if it is still the version read; re-reads it when not. */
async function indexProfile(
  db: DynamoDBDocumentClient,
  tables: Required<ProfileTables>,
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
                TableName: tables.tableName,
                Key: { userId: profile.userId },
                ConditionExpression: '#version = :version',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':version': profile.version },
              },
            },
            ...searchItemsOf(profile).map((Item) => ({
              Put: { TableName: tables.searchTableName, Item },
            })),
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
          TableName: tables.tableName,
          Key: { userId: profile.userId },
          ConsistentRead: true,
        }),
      );
      current = read.Item;
    }
  }
  return false;
}

/** Deletes these items by key, 25 to a batch, until DynamoDB has left none unprocessed. */
async function deleteAll(
  db: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Record<string, unknown>[],
): Promise<number> {
  for (let i = 0; i < items.length; i += BATCH_WRITE_MAX) {
    let requests = items
      .slice(i, i + BATCH_WRITE_MAX)
      .map((item) => ({ DeleteRequest: { Key: { userId: item.userId } } }));
    for (let round = 0; requests.length > 0; round++) {
      if (round > UNPROCESSED_ROUNDS) throw new Error(`${tableName}: deletes left unprocessed`);
      if (round > 0) await sleep(20 * 2 ** round * Math.random());
      const { UnprocessedItems } = await db.send(
        new BatchWriteCommand({ RequestItems: { [tableName]: requests } }),
      );
      requests = (UnprocessedItems?.[tableName] ?? []) as typeof requests;
    }
  }
  return items.length;
}
