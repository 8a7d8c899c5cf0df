import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ChangeEvent } from '@userprofile/domain';
import { eventFromStreamRecord, type StreamImages } from '../events/stream-record-event';
import { StreamCheckpoints } from './stream-checkpoints';
import { StreamReader, type StreamReaderOptions } from './stream-reader';

export interface ChangeFeedReaderOptions {
  readonly client: DynamoDBClient;
  readonly documentClient: DynamoDBDocumentClient;
  /** The profile table, whose stream is read. */
  readonly tableName: string;
  /** The event table, which keeps the reader's checkpoints. */
  readonly eventTableName: string;
  /** e.g. DynamoDB Local's; unset for AWS. */
  readonly endpoint?: string;
  /** What to do with each batch's events (the domain's `RecordChanges`). */
  readonly record: (events: readonly ChangeEvent[]) => Promise<unknown>;
  readonly onError?: (error: unknown) => void;
  readonly tuning?: Pick<StreamReaderOptions, 'batchSize' | 'idleMs' | 'maxIdleMs'>;
}

/** The events of a batch of stream records, in their order: one per change of a profile. */
export function eventsOf(records: readonly StreamImages[]): ChangeEvent[] {
  return records.flatMap((record) => {
    const event = eventFromStreamRecord(record);
    return event ? [event] : [];
  });
}

/**
 * A reader of the profile table's stream that records its events: the local server's (and any
 * process's where no Lambda reads the stream). Not started; `start()` it.
 * @throws Error when the table has no stream.
 */
export async function changeFeedReader(options: ChangeFeedReaderOptions): Promise<StreamReader> {
  const { Table } = await options.client.send(
    new DescribeTableCommand({ TableName: options.tableName }),
  );
  const streamArn = Table?.LatestStreamArn;
  if (!streamArn || Table?.StreamSpecification?.StreamEnabled === false) {
    throw new Error(`The table ${options.tableName} has no stream: the change feed needs one.`);
  }
  const config = options.client.config;
  const streams = new DynamoDBStreamsClient({
    endpoint: options.endpoint,
    region: await config.region(),
    credentials: config.credentials,
  });
  return new StreamReader(
    {
      streams,
      streamArn,
      checkpoints: new StreamCheckpoints(options.documentClient, options.eventTableName, streamArn),
      ...(options.onError ? { onError: options.onError } : {}),
      ...options.tuning,
    },
    async (records) => {
      await options.record(eventsOf(records));
    },
  );
}
