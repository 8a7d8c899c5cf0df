import {
  CreateQueueCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import {
  createEventTestTable,
  testClients,
  testEndpoint,
} from '@userprofile/adapters-dynamo/testing';
import { DynamoWebhookRegistry } from '@userprofile/adapters-dynamo';
import { SqsWebhookPublisher, type SqsRecord } from '@userprofile/adapters-sqs';
import type { ChangeEvent, WebhookEndpoint } from '@userprofile/domain';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { buildBundle, invokeBundle } from './testing/invoke-bundle';
import { startSqsEmulator } from './testing/sqs-emulator';

/**
 * The webhook function as the CDK stack bundles it (`lambda-webhooks.ts` with the Lambda
 * options), run in a fresh process on batches received from an SQS emulator (fauxqs: FIFO groups,
 * visibility), which the stream function's publisher filled; the endpoints in DynamoDB Local; the
 * receivers local HTTP servers. What Lambda's event source mapping does (receive, hand over,
 * delete what did not fail) the test does.
 */
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

let dir: string;
let bundle: string;
let emulator: Awaited<ReturnType<typeof startSqsEmulator>>;
let sqs: SQSClient;
let events: Awaited<ReturnType<typeof createEventTestTable>>;
let registry: DynamoWebhookRegistry;
let receiver: Server;
const received: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lambda-webhooks-'));
  bundle = join(dir, 'index.js');
  await buildBundle('lambda', {
    outfile: bundle,
    entryPoints: [join(__dirname, 'lambda-webhooks.ts')],
  });
  emulator = await startSqsEmulator();
  sqs = new SQSClient({ region: 'us-east-1', endpoint: emulator.endpoint, credentials });
  events = await createEventTestTable();
  registry = new DynamoWebhookRegistry(testClients().documentClient, events.tableName);
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      res.writeHead(req.url === '/good' ? 204 : 500).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
}, 120_000);
afterAll(async () => {
  receiver.close();
  await emulator.stop();
  await events.drop();
  rmSync(dir, { recursive: true, force: true });
});

const endpoint = (id: 'good' | 'bad'): WebhookEndpoint => ({
  id,
  url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/${id}`,
  secrets: [SECRET],
  state: 'enabled',
  createdAt: new Date().toISOString(),
});
const event = (profile: string, v: number): ChangeEvent => ({
  id: `${profile}.v${v}`,
  type: 'profile.updated',
  time: new Date().toISOString(),
  profileId: profile,
  version: v,
  actor: { kind: 'owner', id: profile },
  changed: ['lastName'],
});

async function newQueue(name: string): Promise<string> {
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({
      QueueName: `${name}.fifo`,
      Attributes: { FifoQueue: 'true', VisibilityTimeout: '720' },
    }),
  );
  // Its URL names the emulator's own host (sqs.<region>.localhost), which the SDK would call.
  return QueueUrl!.replace(/^http:\/\/[^/]+/, emulator.endpoint);
}
const receive = async (queueUrl: string) =>
  (
    await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        MessageSystemAttributeNames: ['All'],
      }),
    )
  ).Messages ?? [];
/** A message as Lambda hands it to the function. */
const recordOf = (m: Message): SqsRecord => ({
  messageId: m.MessageId!,
  receiptHandle: m.ReceiptHandle!,
  body: m.Body!,
  attributes: m.Attributes ?? {},
});

/** One batch through the bundle; what did not fail is deleted, as the event source mapping does. */
async function dispatch(queueUrl: string, messages: Message[]) {
  const [result] = (await invokeBundle(bundle, [{ Records: messages.map(recordOf) }], {
    EVENT_TABLE_NAME: events.tableName,
    WEBHOOK_QUEUE_URL: queueUrl,
    // Loopback receivers: this machine's.
    ENVIRONMENT: 'local',
    DYNAMODB_ENDPOINT: testEndpoint(),
    AWS_ENDPOINT_URL_SQS: emulator.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
  })) as unknown as [{ batchItemFailures: { itemIdentifier: string }[] }];
  const failed = new Set(result.batchItemFailures.map((f) => f.itemIdentifier));
  for (const m of messages.filter((m) => !failed.has(m.MessageId!))) {
    await sqs.send(
      new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle! }),
    );
  }
  return failed;
}
const bodyOf = (m: Message) => JSON.parse(m.Body!) as { endpointId: string; event: ChangeEvent };

describe('webhook delivery through the built Lambda bundle and a FIFO queue', () => {
  it("delivers each event signed, each profile's in order, while a failing receiver's wait for their retry", async () => {
    const queueUrl = await newQueue('deliveries');
    await registry.put(endpoint('good'));
    await registry.put(endpoint('bad'));
    const publisher = new SqsWebhookPublisher(sqs, { queueUrl, endpoints: () => registry.list() });
    await publisher.publish([event('p1', 1), event('p2', 1), event('p1', 2)]);
    // The stream read again: deduplicated by the queue.
    await publisher.publish([event('p1', 1)]);

    for (let round = 0; round < 5; round++) {
      const batch = await receive(queueUrl);
      if (batch.length === 0) break;
      await dispatch(queueUrl, batch);
    }
    const good = received.filter((r) => r.path === '/good');
    expect(good.map((r) => r.headers['webhook-id'])).toEqual(
      expect.arrayContaining(['p1.v1', 'p2.v1', 'p1.v2']),
    );
    expect(good).toHaveLength(3);
    const ids = good.map((r) => r.headers['webhook-id']);
    expect(ids.indexOf('p1.v1')).toBeLessThan(ids.indexOf('p1.v2'));
    for (const r of good) {
      const payload = new Webhook(SECRET).verify(r.body, r.headers as Record<string, string>) as {
        data: ChangeEvent;
      };
      expect(payload.data.id).toBe(r.headers['webhook-id']);
    }
    // The failing receiver was tried once for each profile's first event; both wait, hidden.
    expect(
      received
        .filter((r) => r.path === '/bad')
        .map((r) => r.headers['webhook-id'])
        .sort(),
    ).toEqual(['p1.v1', 'p2.v1']);
    expect(await receive(queueUrl)).toEqual([]);
    // The first retry is due 5 s after the first attempt: the group's head comes back first.
    await new Promise((r) => setTimeout(r, 6_000));
    const again = await receive(queueUrl);
    const heads = again
      .map(bodyOf)
      .map((b) => `${b.endpointId} ${b.event.id}`)
      .sort();
    expect(heads).toEqual(['bad p1.v1', 'bad p2.v1']);
    expect(again.every((m) => m.Attributes?.ApproximateReceiveCount === '2')).toBe(true);
  }, 60_000);

  it('marks an endpoint failing and drops its delivery once the first attempt is older than the schedule', async () => {
    const queueUrl = await newQueue('given-up');
    await registry.delete('good');
    await registry.put(endpoint('bad'));
    await new SqsWebhookPublisher(sqs, { queueUrl, endpoints: () => registry.list() }).publish([
      event('p3', 1),
    ]);
    const [message] = await receive(queueUrl);
    const old = String(Date.now() - 28 * 3_600_000);
    const failed = await dispatch(queueUrl, [
      {
        ...message!,
        Attributes: { ...message!.Attributes, ApproximateFirstReceiveTimestamp: old },
      },
    ]);
    expect(failed.size).toBe(0);
    expect((await registry.get('bad'))?.state).toBe('failing');
  }, 60_000);
});
