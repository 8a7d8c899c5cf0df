import { SendMessageBatchCommand, SQSClient, SQSServiceException } from '@aws-sdk/client-sqs';
import { PublishIncomplete, type ChangeEvent, type WebhookEndpoint } from '@userprofile/domain';
import { mockClient } from 'aws-sdk-client-mock';
import { SqsWebhookPublisher } from './sqs-webhook-publisher';
import { MAX_ID_LENGTH } from './webhook-message';

/** Every branch of the publisher against a mocked SQS client, as the EventBridge publisher's. */
const client = new SQSClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9' });
const sqs = mockClient(client);
const queueUrl = 'https://sqs.us-east-1.amazonaws.com/000000000000/webhooks.fifo';
beforeEach(() => sqs.reset());

const endpoint = (id: string, more: Partial<WebhookEndpoint> = {}): WebhookEndpoint => ({
  id,
  url: `https://hooks.example.com/${id}`,
  secrets: ['whsec_c2VjcmV0'],
  state: 'enabled',
  createdAt: '2026-01-01T00:00:00.000Z',
  ...more,
});
const event = (n: number, type: ChangeEvent['type'] = 'profile.updated'): ChangeEvent => ({
  id: `p${n % 3}.v${n}`,
  type,
  time: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
  profileId: `p${n % 3}`,
  version: n,
  actor: { kind: 'owner', id: `p${n % 3}` },
  changed: ['lastName'],
});
const events = (n: number) => Array.from({ length: n }, (_, i) => event(i + 1));
const publisherOf = (endpoints: WebhookEndpoint[]) =>
  new SqsWebhookPublisher(client, { queueUrl, endpoints: async () => endpoints });
const allSent = () => {
  sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => ({
    Successful: input.Entries.map((e) => ({ Id: e.Id, MessageId: `m${e.Id}` })),
    Failed: [],
  }));
};
const calls = () => sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input);
const failureOf = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected the publish to fail');
    },
    (e: unknown) => e as PublishIncomplete,
  );

describe('queueing webhook deliveries on SQS', () => {
  it('sends one message per enabled, subscribed endpoint and event, grouped by endpoint and profile, deduplicated by endpoint and event', async () => {
    allSent();
    await publisherOf([
      endpoint('a'),
      endpoint('b', { types: ['profile.deleted'] }),
      endpoint('c', { state: 'disabled' }),
      endpoint('d', { state: 'failing' }),
    ]).publish([event(1), event(2, 'profile.deleted')]);
    const [only] = calls();
    expect(only!.QueueUrl).toBe(queueUrl);
    expect(
      only!.Entries!.map((e) => [e.MessageGroupId, e.MessageDeduplicationId, e.MessageBody]),
    ).toEqual([
      ['a:p1', 'a:p1.v1', JSON.stringify({ endpointId: 'a', event: event(1) })],
      ['a:p2', 'a:p2.v2', JSON.stringify({ endpointId: 'a', event: event(2, 'profile.deleted') })],
      ['b:p2', 'b:p2.v2', JSON.stringify({ endpointId: 'b', event: event(2, 'profile.deleted') })],
    ]);
  });

  it('sends in calls of at most 10 entries, in the order of the events, each id unique in its call', async () => {
    allSent();
    await publisherOf([endpoint('a'), endpoint('b')]).publish(events(12));
    expect(calls().map((c) => c.Entries!.length)).toEqual([10, 10, 4]);
    const sent = calls().flatMap((c) => c.Entries!.map((e) => e.MessageDeduplicationId));
    expect(sent).toEqual(events(12).flatMap((e) => [`a:${e.id}`, `b:${e.id}`]));
    for (const c of calls()) {
      expect(new Set(c.Entries!.map((e) => e.Id)).size).toBe(c.Entries!.length);
    }
  });

  it('makes no call for no events, nor when no endpoint takes them', async () => {
    await publisherOf([endpoint('a')]).publish([]);
    await publisherOf([endpoint('a', { types: ['profile.created'] })]).publish(events(3));
    await publisherOf([]).publish(events(3));
    expect(calls()).toEqual([]);
  });

  it('keeps group and deduplication ids within 128 characters, the same for the same event', async () => {
    allSent();
    const long = endpoint('e'.repeat(125));
    await publisherOf([long]).publish([event(1), event(1)]);
    const [first, again] = calls()[0]!.Entries!;
    expect(first!.MessageGroupId!.length).toBeLessThanOrEqual(MAX_ID_LENGTH);
    expect(first!.MessageDeduplicationId!.length).toBeLessThanOrEqual(MAX_ID_LENGTH);
    expect(first!.MessageDeduplicationId).toMatch(/^[0-9a-f]{64}$/);
    expect(again!.MessageDeduplicationId).toBe(first!.MessageDeduplicationId);
    expect(first!.MessageGroupId).not.toBe(first!.MessageDeduplicationId);
  });

  it('names the event of the first refused entry, makes no later call, and keeps the reason', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({
        Successful: Array.from({ length: 10 }, (_, i) => ({ Id: String(i) })) as never,
        Failed: [],
      })
      .resolvesOnce({
        Successful: [{ Id: '0' }, { Id: '1' }, { Id: '3' }] as never,
        Failed: [
          { Id: '2', Code: 'ThrottlingException', Message: 'slow down', SenderFault: false },
        ],
      });
    const error = await failureOf(publisherOf([endpoint('a')]).publish(events(25)));
    expect(error).toBeInstanceOf(PublishIncomplete);
    expect(error.firstUnsent).toBe(event(13).id);
    expect((error.cause as Error).message).toBe(
      'SQS refused 7 of 10 entries, first ThrottlingException: slow down',
    );
    expect(calls()).toHaveLength(2);
  });

  it('counts an entry answered neither way as refused', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [{ Id: '0' }] as never, Failed: [] });
    const error = await failureOf(publisherOf([endpoint('a')]).publish(events(2)));
    expect(error.firstUnsent).toBe(event(2).id);
    expect((error.cause as Error).message).toMatch(/first unanswered/);
  });

  it('fails from the first event of a call SQS refused as a whole', async () => {
    const refused = new SQSServiceException({
      name: 'AccessDenied',
      $fault: 'client',
      $metadata: {},
      message: 'not authorized to perform: sqs:SendMessage',
    });
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({
        Successful: Array.from({ length: 10 }, (_, i) => ({ Id: String(i) })) as never,
        Failed: [],
      })
      .rejectsOnce(refused);
    // Two endpoints: the second call starts with the 6th event.
    const error = await failureOf(publisherOf([endpoint('a'), endpoint('b')]).publish(events(8)));
    expect(error.firstUnsent).toBe(event(6).id);
    expect(error.cause).toBe(refused);
  });

  it('fails from the first event when the endpoints cannot be read', async () => {
    const unread = new Error('registry down');
    const publisher = new SqsWebhookPublisher(client, {
      queueUrl,
      endpoints: () => Promise.reject(unread),
    });
    const error = await failureOf(publisher.publish(events(2)));
    expect(error.firstUnsent).toBe(event(1).id);
    expect(error.cause).toBe(unread);
    expect(calls()).toEqual([]);
  });
});
