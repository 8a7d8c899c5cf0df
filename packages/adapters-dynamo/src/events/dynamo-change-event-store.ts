import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  PutCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type {
  ChangeEvent,
  ChangeEventStore,
  EventPage,
  FeedRequest,
  HistoryRequest,
} from '@userprofile/domain';
import { translateTransient } from '../dynamo-errors';
import {
  decodeEventCursor,
  encodeEventCursor,
  FEED_KEY,
  FEED_START,
  HISTORY_KEY,
} from './event-cursor';
import { historyPartition, toEvent, toEventItem } from './event-item';
import { EVENT_TABLE as T } from './event-table-definition';

export interface DynamoChangeEventStoreOptions {
  /**
   * The feed shows only events recorded at least this long ago: writers record concurrently,
   * and an index is read eventually, so the newest moments are not yet settled. A reader's cursor
   * never passes an event that would appear behind it later. @default 2000
   */
  readonly settleMs?: number;
  /** @default the system clock */
  readonly now?: () => number;
}

/** Most items one feed request evaluates, however rare its types: its work stays bounded. */
const FEED_READ_BUDGET = 500;

/** `ChangeEventStore` on its own DynamoDB table: histories by profile, the feed on an index. */
export class DynamoChangeEventStore implements ChangeEventStore {
  private readonly settleMs: number;
  private readonly now: () => number;
  private lastRecordedAt = 0;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: DynamoChangeEventStoreOptions = {},
  ) {
    this.settleMs = options.settleMs ?? 2000;
    this.now = options.now ?? Date.now;
  }

  async append(event: ChangeEvent): Promise<boolean> {
    // Unique and rising within this writer, so events recorded in one batch keep their order.
    const recordedAt = (this.lastRecordedAt = Math.max(this.now(), this.lastRecordedAt + 1));
    try {
      await translateTransient(() =>
        this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: toEventItem(event, recordedAt),
            // The key is derived from the event, so one seen before is not recorded again.
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async eraseHistory(profileId: string): Promise<void> {
    const keys: { pk: string; sk: string }[] = [];
    await this.queryAll(
      {
        KeyConditionExpression: 'pk = :pk',
        FilterExpression: '#type <> :deleted',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: {
          ':pk': historyPartition(profileId),
          ':deleted': 'profile.deleted',
        },
        ProjectionExpression: 'pk, sk',
      },
      (items) => keys.push(...(items as { pk: string; sk: string }[])),
    );
    for (const Key of keys) {
      await translateTransient(() =>
        this.db.send(new DeleteCommand({ TableName: this.tableName, Key })),
      );
    }
  }

  async feed({ after, types, limit }: FeedRequest): Promise<EventPage> {
    const decoded = after === undefined ? undefined : decodeEventCursor(after, 'after', FEED_KEY);
    const from = decoded === FEED_START ? undefined : decoded;
    const horizon = new Date(this.now() - this.settleMs).toISOString();
    const items: ChangeEvent[] = [];
    let position = from;
    let startKey: Record<string, unknown> | undefined;
    let evaluated = 0;
    reading: do {
      const page = await translateTransient(() =>
        this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: T.feedIndex.indexName,
            KeyConditionExpression: `#p = :p${from === undefined ? '' : ' AND #k > :after'}`,
            ExpressionAttributeNames: {
              '#p': T.feedIndex.partitionKey.name,
              ...(from === undefined ? {} : { '#k': T.feedIndex.sortKey.name }),
            },
            ExpressionAttributeValues: {
              ':p': T.feedPartition,
              ...(from === undefined ? {} : { ':after': from }),
            },
            Limit: Math.min(limit - items.length, FEED_READ_BUDGET - evaluated),
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      for (const item of page.Items ?? []) {
        const key = String(item.feedKey);
        if (key >= horizon) break reading;
        evaluated++;
        position = key;
        const event = toEvent(item);
        if (!types || types.includes(event.type)) items.push(event);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey && items.length < limit && evaluated < FEED_READ_BUDGET);
    return { items, cursor: encodeEventCursor(position ?? FEED_START) };
  }

  async history(profileId: string, { limit, cursor }: HistoryRequest): Promise<EventPage> {
    const before =
      cursor === undefined ? undefined : decodeEventCursor(cursor, 'cursor', HISTORY_KEY);
    const found: Record<string, unknown>[] = [];
    await this.queryAll(
      {
        KeyConditionExpression: `pk = :pk${before === undefined ? '' : ' AND sk < :before'}`,
        ExpressionAttributeValues: {
          ':pk': historyPartition(profileId),
          ...(before === undefined ? {} : { ':before': before }),
        },
        ScanIndexForward: false,
        Limit: limit + 1,
      },
      (items) => found.push(...items),
      () => found.length > limit,
    );
    const page = found.slice(0, limit);
    const last = page.at(-1);
    const items = page.map(toEvent);
    return found.length > limit && last
      ? { items, cursor: encodeEventCursor(String(last.sk)) }
      : { items };
  }

  /** Follows a query's pages (each at most 1 MB) until it ends or `enough` says so. */
  private async queryAll(
    input: Omit<QueryCommandInput, 'TableName'>,
    take: (items: Record<string, unknown>[]) => void,
    enough: () => boolean = () => false,
  ): Promise<void> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await translateTransient(() =>
        this.db.send(
          new QueryCommand({ ...input, TableName: this.tableName, ExclusiveStartKey: startKey }),
        ),
      );
      take(page.Items ?? []);
      startKey = page.LastEvaluatedKey;
    } while (startKey && !enough());
  }
}
