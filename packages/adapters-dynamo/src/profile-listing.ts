import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest } from '@userprofile/domain';
import { translateTransient } from './dynamo-errors';
import { decodeCursor, encodeCursor } from './list-cursor';
import { toProfile, type ProfileItem } from './profile-item';
import { USER_PROFILE_TABLE as T } from './table-definition';

/**
 * A query of one list-index partition (a shard, or `SUSPENDED`), newest first, below `before`
 * when given: its key condition and the names and values it uses (a filter may add to them).
 */
export function listIndexPartition(partition: string, before: string | undefined) {
  const names: Record<string, string> = { '#s': T.listIndex.partitionKey.name };
  const values: Record<string, unknown> = { ':s': partition };
  let keyCondition = '#s = :s';
  if (before !== undefined) {
    keyCondition += ' AND #k < :before';
    names['#k'] = T.listIndex.sortKey.name;
    values[':before'] = before;
  }
  return { keyCondition, names, values };
}

/** How many items a filtered listing may evaluate in each list shard per request (8 shards). */
export const FILTERED_READS_PER_SHARD = 50;

/**
 * Newest first across all list shards: each shard gives its newest `limit + 1` items older than
 * the cursor, and the merge keeps the newest `limit`. The union of each shard's top `limit`
 * always holds the overall top `limit`, and a `limit + 1`-th item anywhere means more remain.
 *
 * With a filter, a shard evaluates at most `FILTERED_READS_PER_SHARD` items (or `limit + 1`)
 * per request, so a request's work is bounded however rare the matches are. A shard that
 * stopped early has been read down to its last evaluated key; only items at or above the
 * highest such key (the frontier) are certainly in order, so the page ends there: it may be
 * short, even empty, and its cursor continues from the frontier.
 */
export async function listProfiles(
  db: DynamoDBDocumentClient,
  tableName: string,
  { limit, cursor, active }: PageRequest,
): Promise<Page> {
  const before = cursor === undefined ? undefined : decodeCursor(cursor);
  const shards = await Promise.all(
    Array.from({ length: T.listShards }, (_, shard) =>
      queryShard(db, tableName, String(shard), limit + 1, before, active),
    ),
  );
  const { ordered, frontier } = mergeShards(shards);
  const page = ordered.slice(0, limit);
  const items = page.map((item) => toProfile(item as unknown as Record<string, unknown>)!);
  const last = page.at(-1);
  if (ordered.length > limit && last) return { items, cursor: encodeCursor(last.listKey) };
  return frontier === undefined ? { items } : { items, cursor: encodeCursor(frontier) };
}

/**
 * A shard's newest `wanted` items older than `before` (matching `active` when given), and,
 * when it stopped before its end, the list key down to which it has been read.
 */
async function queryShard(
  db: DynamoDBDocumentClient,
  tableName: string,
  shard: string,
  wanted: number,
  before: string | undefined,
  active: boolean | undefined,
): Promise<{ items: ProfileItem[]; readDownTo?: string }> {
  const { keyCondition, names, values } = listIndexPartition(shard, before);
  if (active !== undefined) {
    names['#a'] = 'active';
    values[':active'] = active;
  }
  const budget = active === undefined ? wanted : Math.max(wanted, FILTERED_READS_PER_SHARD);
  const items: ProfileItem[] = [];
  let evaluated = 0;
  let startKey: Record<string, unknown> | undefined;
  // A query page stops at `Limit` evaluated items or 1 MB, and a filter drops some of those:
  // keep reading until this shard has given enough, has no more, or has used its budget.
  do {
    const page = await translateTransient(() =>
      db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: T.listIndex.indexName,
          KeyConditionExpression: keyCondition,
          FilterExpression: active === undefined ? undefined : '#a = :active',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ScanIndexForward: false,
          Limit: active === undefined ? wanted - items.length : budget - evaluated,
          ExclusiveStartKey: startKey,
        }),
      ),
    );
    items.push(...((page.Items ?? []) as ProfileItem[]));
    evaluated += page.ScannedCount ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey && items.length < wanted && evaluated < budget);
  const readDownTo = startKey?.[T.listIndex.sortKey.name];
  return typeof readDownTo === 'string' ? { items, readDownTo } : { items };
}

/**
 * The shards' items newest first, none older than the highest key a shard stopped reading at
 * (`frontier`): below it that shard may hold items not read yet, so the page ends there.
 */
export function mergeShards<T extends { listKey: string }>(
  shards: readonly { items: readonly T[]; readDownTo?: string }[],
): { ordered: T[]; frontier: string | undefined } {
  const frontier = shards
    .map((s) => s.readDownTo)
    .reduce<string | undefined>(
      (high, key) => (key !== undefined && (high === undefined || key > high) ? key : high),
      undefined,
    );
  const ordered = shards
    .flatMap((s) => s.items)
    .filter((item) => frontier === undefined || item.listKey >= frontier)
    .sort((a, b) => (a.listKey < b.listKey ? 1 : a.listKey > b.listKey ? -1 : 0));
  return { ordered, frontier };
}
