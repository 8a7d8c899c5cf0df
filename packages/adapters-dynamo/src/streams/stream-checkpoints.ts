import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { translateTransient } from '../dynamo-errors';

/** Where a reader of a stream got to in one shard: after this record, or all of it (closed). */
export interface ShardCheckpoint {
  readonly sequenceNumber?: string;
  readonly done: boolean;
}

/**
 * A stream reader's positions, kept in the event table (`CHECKPOINT#<stream ARN>`, one item per
 * shard), so a reader that stops, or is killed, goes on where its last finished batch ended.
 */
export class StreamCheckpoints {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly streamArn: string,
  ) {}

  async get(shardId: string): Promise<ShardCheckpoint | undefined> {
    const { Item } = await translateTransient(() =>
      this.db.send(
        new GetCommand({ TableName: this.tableName, Key: this.key(shardId), ConsistentRead: true }),
      ),
    );
    if (!Item) return undefined;
    const sequenceNumber =
      typeof Item.sequenceNumber === 'string' ? Item.sequenceNumber : undefined;
    return { ...(sequenceNumber ? { sequenceNumber } : {}), done: Item.done === true };
  }

  async save(shardId: string, checkpoint: ShardCheckpoint): Promise<void> {
    await translateTransient(() =>
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...this.key(shardId), ...checkpoint },
        }),
      ),
    );
  }

  private key(shardId: string) {
    return { pk: `CHECKPOINT#${this.streamArn}`, sk: shardId };
  }
}
