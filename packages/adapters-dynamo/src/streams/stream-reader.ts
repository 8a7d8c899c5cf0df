import {
  DescribeStreamCommand,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
  type DynamoDBStreamsClient,
  type Shard,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { ShardCheckpoint, StreamCheckpoints } from './stream-checkpoints';

/** What a reader hands each batch to: it resolves once the batch's work is done. */
export type BatchHandler<R> = (records: readonly R[]) => Promise<void>;

export interface StreamReaderOptions {
  readonly streams: DynamoDBStreamsClient;
  readonly streamArn: string;
  readonly checkpoints: Pick<StreamCheckpoints, 'get' | 'save'>;
  /**
   * Records per read: the Streams API's most. Chosen when a profile write streamed its search items
   * too (about 30 records; at 100 a read, 25 writes/s locally lagged 1.8 s at p50, at 1,000
   * 0.14 s); since ADR 0025 a write streams its profile, guards and idempotency record only.
   * @default 1000
   */
  readonly batchSize?: number;
  /**
   * Pause after a round that found nothing, doubled after each further empty round up to
   * `maxIdleMs`, and back to this once a round finds records. @default 250
   */
  readonly idleMs?: number;
  /**
   * The longest pause: how late an idle reader sees the first record of a new burst. Each empty
   * round costs a GetRecords per open shard; in the local server, 3.9 a second cost its GETs
   * several percent of their throughput (ADR 0028). @default 1000
   */
  readonly maxIdleMs?: number;
  /**
   * How long a shard list is trusted while every known shard stays open. A shard that ends, or a
   * list with no open shard, is described again at once. @default 60_000
   */
  readonly describeEveryMs?: number;
  readonly onError?: (error: unknown) => void;
}

/**
 * Reads a DynamoDB stream through the Streams API (DynamoDB Local's, or AWS's where no Lambda
 * does): every shard, a parent before its children, each batch handed on and its last sequence
 * number saved only once the handler finished. A reader stopped or killed mid-batch reads that
 * batch again: delivery is at least once, and the handler dedupes.
 *
 * The shard list is described again only when it may have changed (a shard ended, no shard is
 * open) or has not been for `describeEveryMs`: DescribeStream is rate-limited in AWS, and in
 * DynamoDB Local its cost grows with the records the stream holds, on the one thread that serves
 * every request (described every pass, a busy stream took 1.8 s a call and starved the writes).
 */
export class StreamReader {
  private readonly iterators = new Map<string, string>();
  private readonly done = new Set<string>();
  private known: Shard[] | undefined;
  private describedAt = 0;
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly options: StreamReaderOptions,
    private readonly handle: BatchHandler<StreamRecord>,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops after the batch in hand, if any, is finished and saved. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** One pass over every shard; answers how many records it handled. */
  async readOnce(): Promise<number> {
    let handled = 0;
    const shards = await this.currentShards();
    const ids = new Set(shards.map((s) => s.ShardId));
    for (const shard of shards) {
      const id = shard.ShardId!;
      if (this.done.has(id)) continue;
      const parent = shard.ParentShardId;
      if (parent && ids.has(parent) && !this.done.has(parent)) continue;
      handled += await this.readShard(id);
    }
    return handled;
  }

  private async run(): Promise<void> {
    const { idleMs = 250, maxIdleMs = 1000 } = this.options;
    let pause = idleMs;
    while (this.running) {
      let handled = 0;
      try {
        handled = await this.readOnce();
      } catch (error) {
        this.options.onError?.(error);
      }
      if (handled > 0) pause = idleMs;
      else if (this.running) {
        await sleep(pause);
        pause = Math.min(pause * 2, Math.max(maxIdleMs, idleMs));
      }
    }
  }

  private async currentShards(): Promise<Shard[]> {
    const trusted =
      this.known !== undefined &&
      this.known.some((s) => !this.done.has(s.ShardId!)) &&
      Date.now() - this.describedAt < (this.options.describeEveryMs ?? 60_000);
    if (!trusted) {
      this.describedAt = Date.now();
      this.known = await this.describe();
    }
    return this.known!;
  }

  private async describe(): Promise<Shard[]> {
    const shards: Shard[] = [];
    let ExclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription } = await this.options.streams.send(
        new DescribeStreamCommand({ StreamArn: this.options.streamArn, ExclusiveStartShardId }),
      );
      shards.push(...(StreamDescription?.Shards ?? []));
      ExclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (ExclusiveStartShardId);
    return shards;
  }

  /** Reads a shard until it has nothing more for now (or is closed); answers the records handled. */
  private async readShard(shardId: string): Promise<number> {
    let handled = 0;
    let iterator = this.iterators.get(shardId) ?? (await this.iteratorFor(shardId));
    while (iterator) {
      let page;
      try {
        page = await this.options.streams.send(
          new GetRecordsCommand({ ShardIterator: iterator, Limit: this.options.batchSize ?? 1000 }),
        );
      } catch (error) {
        // An iterator that expired (15 minutes), or that DynamoDB Local's trimming left behind:
        // a new one from the checkpoint next round.
        const stale =
          error instanceof ExpiredIteratorException || error instanceof TrimmedDataAccessException;
        if (!stale) throw error;
        this.iterators.delete(shardId);
        return handled;
      }
      const records = page.Records ?? [];
      if (records.length > 0) {
        await this.handle(records);
        const last = records.at(-1)!.dynamodb?.SequenceNumber;
        await this.options.checkpoints.save(shardId, { sequenceNumber: last, done: false });
        handled += records.length;
      }
      iterator = page.NextShardIterator;
      if (!iterator) {
        await this.options.checkpoints.save(shardId, { done: true });
        this.done.add(shardId);
        this.iterators.delete(shardId);
        this.known = undefined; // its children, if any, are in the next description
        return handled;
      }
      this.iterators.set(shardId, iterator);
      if (records.length === 0) return handled;
    }
    return handled;
  }

  private async iteratorFor(shardId: string): Promise<string | undefined> {
    const checkpoint: ShardCheckpoint | undefined = await this.options.checkpoints.get(shardId);
    if (checkpoint?.done) {
      this.done.add(shardId);
      return undefined;
    }
    const after = checkpoint?.sequenceNumber;
    try {
      const { ShardIterator } = await this.options.streams.send(
        new GetShardIteratorCommand({
          StreamArn: this.options.streamArn,
          ShardId: shardId,
          ...(after
            ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }
            : { ShardIteratorType: 'TRIM_HORIZON' }),
        }),
      );
      return ShardIterator;
    } catch (error) {
      // Records older than the stream keeps (24 hours) are gone: start from the oldest kept.
      if (!(error instanceof TrimmedDataAccessException) || !after) throw error;
      this.options.onError?.(error);
      await this.options.checkpoints.save(shardId, { done: false });
      return this.iteratorFor(shardId);
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
