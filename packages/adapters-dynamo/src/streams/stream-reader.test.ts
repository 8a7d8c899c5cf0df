import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type DynamoDBStreamsClient,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { ShardCheckpoint } from './stream-checkpoints';
import { StreamReader } from './stream-reader';

/**
 * A stream of shards, each a list of sequence numbers and open or closed, served as the Streams
 * API serves it: enough to count how often the reader describes the stream.
 */
function fakeStream() {
  const shards = new Map<string, { parent?: string; records: string[]; closed: boolean }>();
  const calls = { describe: 0 };
  const streams = {
    send: (command: unknown) => {
      if (command instanceof DescribeStreamCommand) {
        calls.describe++;
        const list: Shard[] = [...shards].map(([ShardId, s]) => ({
          ShardId,
          ParentShardId: s.parent,
        }));
        return Promise.resolve({ StreamDescription: { Shards: list } });
      }
      if (command instanceof GetShardIteratorCommand) {
        return Promise.resolve({ ShardIterator: `${command.input.ShardId}@0` });
      }
      if (command instanceof GetRecordsCommand) {
        const [id, at] = command.input.ShardIterator!.split('@') as [string, string];
        const shard = shards.get(id)!;
        const records = shard.records.slice(Number(at)).map((SequenceNumber) => ({
          dynamodb: { SequenceNumber },
        }));
        const next = Number(at) + records.length;
        const ended = shard.closed && next === shard.records.length;
        return Promise.resolve({
          Records: records,
          NextShardIterator: ended ? undefined : `${id}@${next}`,
        });
      }
      throw new Error('unexpected command');
    },
  } as unknown as DynamoDBStreamsClient;
  return { shards, calls, streams };
}

const memoryCheckpoints = () => {
  const saved = new Map<string, ShardCheckpoint>();
  return {
    get: (id: string) => Promise.resolve(saved.get(id)),
    save: (id: string, c: ShardCheckpoint) => Promise.resolve(void saved.set(id, c)),
  };
};

it('describes the stream once while its shards stay open, and again when one ends', async () => {
  const { shards, calls, streams } = fakeStream();
  shards.set('s1', { records: ['1', '2'], closed: false });
  const seen: string[] = [];
  const reader = new StreamReader(
    { streams, streamArn: 'arn', checkpoints: memoryCheckpoints() },
    async (records) => void seen.push(...records.map((r) => r.dynamodb!.SequenceNumber!)),
  );
  expect(await reader.readOnce()).toBe(2);
  for (let i = 0; i < 5; i++) await reader.readOnce();
  shards.get('s1')!.records.push('3');
  expect(await reader.readOnce()).toBe(1);
  expect(calls.describe).toBe(1);

  // The shard rolls over: it ends, and its child is found by the next description.
  shards.get('s1')!.closed = true;
  shards.set('s2', { parent: 's1', records: ['4'], closed: false });
  await reader.readOnce();
  expect(await reader.readOnce()).toBe(1);
  expect(calls.describe).toBe(2);
  expect(seen).toEqual(['1', '2', '3', '4']);
});

it('describes a stream with no open shard every pass, and any after describeEveryMs', async () => {
  const { shards, calls, streams } = fakeStream();
  const reader = new StreamReader(
    { streams, streamArn: 'arn', checkpoints: memoryCheckpoints(), describeEveryMs: 0 },
    () => Promise.resolve(),
  );
  await reader.readOnce();
  await reader.readOnce();
  expect(calls.describe).toBe(2);
  shards.set('s1', { records: ['1'], closed: false });
  expect(await reader.readOnce()).toBe(1);
  await reader.readOnce();
  expect(calls.describe).toBe(4);
});

describe('the pause between empty rounds', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('doubles from idleMs up to maxIdleMs while idle, and is back to idleMs after records', async () => {
    const { shards, streams } = fakeStream();
    shards.set('s1', { records: [], closed: false });
    const reads: number[] = [];
    const counted = {
      send: (command: unknown) => {
        if (command instanceof GetRecordsCommand) reads.push(Date.now());
        return streams.send(command as never);
      },
    } as unknown as DynamoDBStreamsClient;
    const seen: string[] = [];
    const reader = new StreamReader(
      { streams: counted, streamArn: 'arn', checkpoints: memoryCheckpoints(), maxIdleMs: 1000 },
      async (records) => void seen.push(...records.map((r) => r.dynamodb!.SequenceNumber!)),
    );
    const start = Date.now();
    reader.start();
    await jest.advanceTimersByTimeAsync(5_000);
    // Reads at 0, 250, 750 (+500), 1750 (+1000), then every 1000 ms.
    expect(reads.map((t) => t - start)).toEqual([0, 250, 750, 1750, 2750, 3750, 4750]);

    // A record is read within the longest pause (its page, then the shard's empty next page, then
    // a new round at once); the pauses then start again from idleMs.
    reads.length = 0;
    const pushed = Date.now();
    shards.get('s1')!.records.push('1');
    await jest.advanceTimersByTimeAsync(3_000);
    expect(seen).toEqual(['1']);
    expect(reads.map((t) => t - pushed)).toEqual([750, 750, 750, 1000, 1500, 2500]);
    await Promise.all([reader.stop(), jest.advanceTimersByTimeAsync(1_000)]);
  });
});
