import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import {
  VersionConflict,
  type PageRequest,
  type SuspensionPage,
  type SuspensionRecord,
} from '@userprofile/domain';
import { translateTransient } from './dynamo-errors';
import { decodeCursor, encodeCursor } from './list-cursor';
import { listIndexPartition } from './profile-listing';
import {
  SUSPENDED_SHARD,
  suspensionItem,
  suspensionKey,
  toSuspensionRecord,
} from './suspension-item';
import { USER_PROFILE_TABLE as T } from './table-definition';

// A subject's suspension record (`SUSPENSION#<sub>`), kept beside the profiles: read, written
// under its version, and listed from the list index's `SUSPENDED` partition.

export async function getSuspensions(
  db: DynamoDBDocumentClient,
  tableName: string,
  userId: string,
): Promise<SuspensionRecord | undefined> {
  const { Item } = await translateTransient(() =>
    db.send(
      new GetCommand({
        TableName: tableName,
        Key: suspensionKey(userId),
        ConsistentRead: true,
      }),
    ),
  );
  return toSuspensionRecord(Item);
}

export async function saveSuspensions(
  db: DynamoDBDocumentClient,
  tableName: string,
  previous: SuspensionRecord | undefined,
  next: SuspensionRecord,
): Promise<void> {
  try {
    await translateTransient(() =>
      db.send(
        new PutCommand({
          TableName: tableName,
          Item: suspensionItem(next),
          ...(previous
            ? {
                ConditionExpression: 'version = :expected',
                ExpressionAttributeValues: { ':expected': previous.version },
              }
            : { ConditionExpression: 'attribute_not_exists(userId)' }),
        }),
      ),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    throw new VersionConflict(next.userId, { cause: error });
  }
}

/** One query of the list index's `SUSPENDED` partition, newest suspension first. */
export async function listSuspended(
  db: DynamoDBDocumentClient,
  tableName: string,
  { limit, cursor }: Omit<PageRequest, 'active'>,
): Promise<SuspensionPage> {
  const before = cursor === undefined ? undefined : decodeCursor(cursor);
  const { keyCondition, names, values } = listIndexPartition(SUSPENDED_SHARD, before);
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await translateTransient(() =>
      db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: T.listIndex.indexName,
          KeyConditionExpression: keyCondition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ScanIndexForward: false,
          Limit: limit + 1 - items.length,
          ExclusiveStartKey: startKey,
        }),
      ),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey && items.length <= limit);
  const page = items.slice(0, limit);
  const records = page.map((item) => toSuspensionRecord(item)!);
  const last = page.at(-1);
  return items.length > limit && last
    ? { items: records, cursor: encodeCursor(String(last[T.listIndex.sortKey.name])) }
    : { items: records };
}
