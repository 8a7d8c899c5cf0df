import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { RETRY_SCHEDULE_MS } from '@userprofile/adapters-webhooks';
import type { ChangeEvent, WebhookEndpoint } from '@userprofile/domain';
import { mockClient } from 'aws-sdk-client-mock';
import { Webhook } from 'standardwebhooks';
import { SqsWebhookDispatcher, type SqsRecord } from './sqs-webhook-dispatcher';

/**
 * The queue's dispatcher against a fake clock, a registry in a map, a transport that records what
 * it was sent and answers as told, and a mocked SQS client recording visibility changes.
 */
const client = new SQSClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9' });
const sqs = mockClient(client);
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
// Now, in whole seconds: receivers check a signature's timestamp against their own clock.
const T0 = Math.floor(Date.now() / 1000) * 1000;
const H = 3_600_000;

const endpoint = (id: string, more: Partial<WebhookEndpoint> = {}): WebhookEndpoint => ({
  id,
  url: `https://hooks.example.com/${id}`,
  secrets: [SECRET],
  state: 'enabled',
  createdAt: '2026-01-01T00:00:00.000Z',
  ...more,
});
const event = (profile: string, v: number): ChangeEvent => ({
  id: `${profile}.v${v}`,
  type: 'profile.updated',
  time: new Date(T0).toISOString(),
  profileId: profile,
  version: v,
  actor: { kind: 'owner', id: profile },
  changed: ['lastName'],
});
const record = (endpointId: string, e: ChangeEvent, firstReceived = T0): SqsRecord => ({
  messageId: `${endpointId}/${e.id}`,
  receiptHandle: `handle ${endpointId}/${e.id}`,
  body: JSON.stringify({ endpointId, event: e }),
  attributes: {
    MessageGroupId: `${endpointId}:${e.profileId}`,
    ApproximateFirstReceiveTimestamp: String(firstReceived),
    SentTimestamp: String(firstReceived - 1000),
  },
});

function setup(endpoints: WebhookEndpoint[], answer: (url: string) => number = () => 204) {
  sqs.reset();
  const stored = new Map(endpoints.map((e) => [e.id, e]));
  const sent: { url: string; headers: Record<string, string>; body: string }[] = [];
  const failing: string[] = [];
  const problems: string[] = [];
  let now = T0;
  const dispatcher = new SqsWebhookDispatcher({
    client,
    queueUrl: 'https://queue',
    registry: {
      list: async () => [...stored.values()],
      get: async (id) => stored.get(id),
      put: async (e) => void stored.set(e.id, e),
    },
    transport: {
      send: async (url, headers, body) => {
        sent.push({ url, headers, body });
        const status = answer(url);
        if (status === 0) throw new Error('ECONNREFUSED');
        return status;
      },
    },
    onFailing: (e, ev) => void failing.push(`${e.id} ${ev.id}`),
    onProblem: (p) => void problems.push(p),
    now: () => now,
  });
  return {
    dispatcher,
    stored,
    sent,
    failing,
    problems,
    at: (ms: number) => void (now = ms),
    visibility: () => sqs.commandCalls(ChangeMessageVisibilityCommand).map((c) => c.args[0].input),
    shown: () =>
      sqs
        .commandCalls(ChangeMessageVisibilityBatchCommand)
        .flatMap((c) =>
          c.args[0].input.Entries!.map((e) => [e.ReceiptHandle, e.VisibilityTimeout]),
        ),
  };
}

describe("the webhook queue's dispatcher", () => {
  it('delivers each message signed as Standard Webhooks, the event as data, and reports no failure', async () => {
    const t = setup([endpoint('a')]);
    const e = event('p1', 1);
    await expect(t.dispatcher.handle([record('a', e)])).resolves.toEqual({
      batchItemFailures: [],
    });
    expect(t.sent).toHaveLength(1);
    const [{ url, headers, body }] = t.sent as [(typeof t.sent)[0]];
    expect(url).toBe('https://hooks.example.com/a');
    expect(new Webhook(SECRET).verify(body, headers)).toEqual({
      type: 'profile.updated',
      timestamp: e.time,
      data: e,
    });
    expect(headers['webhook-id']).toBe(e.id);
  });

  it('hides a failed delivery until its next step of the schedule, counted from its first receive', async () => {
    const t = setup([endpoint('a')], () => 500);
    const e = event('p1', 1);
    // First attempt at once: next 5 s later. At 40 min (the 4th attempt was due at 35 min 5 s),
    // the next falls at 2 h 35 min 5 s.
    t.at(T0 + 200);
    expect(await t.dispatcher.handle([record('a', e)])).toEqual({
      batchItemFailures: [{ itemIdentifier: 'a/p1.v1' }],
    });
    t.at(T0 + 40 * 60_000);
    await t.dispatcher.handle([record('a', e)]);
    expect(t.visibility()).toEqual([
      { QueueUrl: 'https://queue', ReceiptHandle: 'handle a/p1.v1', VisibilityTimeout: 5 },
      {
        QueueUrl: 'https://queue',
        ReceiptHandle: 'handle a/p1.v1',
        VisibilityTimeout: (2 * H + 35 * 60_000 + 5_000 - 40 * 60_000) / 1000,
      },
    ]);
    expect(t.failing).toEqual([]);
  });

  it('never asks SQS for more than 12 h of invisibility', async () => {
    const t = setup([endpoint('a')], () => 0);
    t.at(T0 + 1000);
    await t.dispatcher.handle([record('a', event('p1', 1))]);
    expect(t.visibility()[0]!.VisibilityTimeout).toBe(4);
    const long = new SqsWebhookDispatcher({
      client,
      queueUrl: 'https://queue',
      registry: {
        list: async () => [endpoint('a')],
        get: async () => undefined,
        put: async () => {},
      },
      transport: { send: async () => 500 },
      onFailing: () => {},
      onProblem: () => {},
      now: () => T0,
      schedule: [0, 20 * H],
    });
    await long.handle([record('a', event('p1', 1))]);
    expect(t.visibility().at(-1)!.VisibilityTimeout).toBe(12 * 3600);
  });

  it("holds a failed message's later messages of the same group, visible again at once, and delivers other groups", async () => {
    const t = setup([endpoint('a'), endpoint('b')], (url) => (url.endsWith('/a') ? 503 : 200));
    const batch = [
      record('a', event('p1', 1)),
      record('b', event('p1', 1)),
      record('a', event('p1', 2)),
      record('a', event('p2', 1)),
      record('a', event('p1', 3)),
    ];
    const { batchItemFailures } = await t.dispatcher.handle(batch);
    expect(batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual([
      'a/p1.v1',
      'a/p1.v2',
      'a/p1.v3',
      'a/p2.v1',
    ]);
    // a/p1.v2 and v3 were never attempted; b got its event; a/p2 its own attempt.
    expect(t.sent.map((s) => `${s.url.slice(-1)} ${s.headers['webhook-id']}`).sort()).toEqual([
      'a p1.v1',
      'a p2.v1',
      'b p1.v1',
    ]);
    expect(t.shown()).toEqual([
      ['handle a/p1.v2', 0],
      ['handle a/p1.v3', 0],
    ]);
    expect(
      t
        .visibility()
        .map((v) => v.ReceiptHandle)
        .sort(),
    ).toEqual(['handle a/p1.v1', 'handle a/p2.v1']);
  });

  it('delivers a group in order, the next only after the one before got through', async () => {
    const order: string[] = [];
    const t = setup([endpoint('a')]);
    const batch = [1, 2, 3].map((v) => record('a', event('p1', v)));
    await t.dispatcher.handle(batch);
    order.push(...t.sent.map((s) => s.headers['webhook-id']!));
    expect(order).toEqual(['p1.v1', 'p1.v2', 'p1.v3']);
  });

  it('once the schedule has run out, marks the endpoint failing, emits the metric once and drops its messages', async () => {
    const t = setup([endpoint('a'), endpoint('b')], (url) => (url.endsWith('/a') ? 500 : 200));
    const total = RETRY_SCHEDULE_MS.reduce((x, y) => x + y, 0);
    t.at(T0 + total + 1);
    const { batchItemFailures } = await t.dispatcher.handle([
      record('a', event('p1', 1)),
      record('a', event('p2', 1)),
      record('b', event('p1', 1)),
    ]);
    expect(batchItemFailures).toEqual([]);
    expect(t.stored.get('a')!.state).toBe('failing');
    expect(t.stored.get('b')!.state).toBe('enabled');
    expect(t.failing).toEqual(['a p1.v1']);
    expect(t.visibility()).toEqual([]);
    // a/p2 is dropped without an attempt once a is failing (groups run concurrently, so it may
    // have been attempted before; it is never reported for retry).
    expect(t.sent.filter((s) => s.url.endsWith('/b'))).toHaveLength(1);
  });

  it('still retries at the last step of the schedule, and gives up only after it', async () => {
    const t = setup([endpoint('a')], () => 500);
    const lastOffset = RETRY_SCHEDULE_MS.reduce((x, y) => x + y, 0);
    t.at(T0 + lastOffset - 10_000);
    const { batchItemFailures } = await t.dispatcher.handle([record('a', event('p1', 1))]);
    expect(batchItemFailures).toHaveLength(1);
    expect(t.visibility()[0]!.VisibilityTimeout).toBe(10);
    expect(t.failing).toEqual([]);
  });

  it('drops without delivery what is for a disabled, failing or deleted endpoint, or is no delivery at all', async () => {
    const t = setup([endpoint('d', { state: 'disabled' }), endpoint('f', { state: 'failing' })]);
    const garbage: SqsRecord = { ...record('x', event('p1', 1)), body: '{"endpointId":1}' };
    const { batchItemFailures } = await t.dispatcher.handle([
      record('d', event('p1', 1)),
      record('f', event('p1', 1)),
      record('gone', event('p1', 1)),
      garbage,
      { ...garbage, messageId: 'not json', body: 'nope' },
    ]);
    expect(batchItemFailures).toEqual([]);
    expect(t.sent).toEqual([]);
    expect(t.problems).toEqual([
      'dropped a message that is no webhook delivery',
      'dropped a message that is no webhook delivery',
    ]);
  });

  it('reports the failure even when SQS refuses the visibility change (the queue timeout applies)', async () => {
    const t = setup([endpoint('a')], () => 500);
    sqs.on(ChangeMessageVisibilityCommand).rejects(new Error('throttled'));
    const { batchItemFailures } = await t.dispatcher.handle([record('a', event('p1', 1))]);
    expect(batchItemFailures).toEqual([{ itemIdentifier: 'a/p1.v1' }]);
    expect(t.problems).toEqual(['could not set the next attempt of a webhook delivery']);
  });
});
