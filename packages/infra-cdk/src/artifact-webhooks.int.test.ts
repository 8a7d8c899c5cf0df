import { DynamoWebhookRegistry } from '@userprofile/adapters-dynamo';
import { createEventTestTable, testClients } from '@userprofile/adapters-dynamo/testing';
import { invokeBundle } from '@userprofile/adapters-http/testing-bundle';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TEST_ACCOUNT } from './iam-enforcing-proxy';
import { synthesizedAssembly } from './testing/cloud-assembly';
import { actionsUsed, ROLE_CREDENTIALS, startRoleProxy } from './testing/function-roles';

/**
 * The receivers (200 at /good, 500 at /bad), and SQS's JSON protocol as far as the function
 * calls it (ChangeMessageVisibility), recording the calls; the SDK calls the queue URL's host.
 */
async function startReceiversAndQueue() {
  const delivered: string[] = [];
  const sqsCalls: { target: string; input: Record<string, unknown> }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      if (target.startsWith('AmazonSQS.')) {
        sqsCalls.push({ target, input: JSON.parse(body) as Record<string, unknown> });
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end('{}');
        return;
      }
      delivered.push(`${req.url} ${String(req.headers['webhook-id'])}`);
      res.writeHead(req.url === '/good' ? 200 : 500).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { delivered, sqsCalls, base, close: () => server.close() };
}

/** A message of the webhook queue as Lambda's SQS event source hands it to the function. */
function queueRecord(
  endpointId: string,
  profile: string,
  now: number,
  firstReceived: number,
  v = 1,
) {
  return {
    messageId: `${endpointId}/${profile}.v${v}`,
    receiptHandle: `handle ${endpointId}/${profile}.v${v}`,
    body: JSON.stringify({
      endpointId,
      event: {
        id: `${profile}.v${v}`,
        type: 'profile.updated',
        time: new Date(now).toISOString(),
        profileId: profile,
        version: v,
        actor: { kind: 'owner', id: profile },
        changed: ['lastName'],
      },
    }),
    attributes: {
      MessageGroupId: `${endpointId}:${profile}`,
      ApproximateFirstReceiveTimestamp: String(firstReceived),
    },
  };
}

/**
 * `cdk synth` as a user runs it, then the change feed's webhook function from its asset under its
 * own role, fed a batch of the webhook queue's messages.
 */
describe('the synthesized cloud assembly: the webhook function under its own IAM policy', () => {
  const assembly = synthesizedAssembly();

  it('runs the webhook function from its asset under its own IAM policy: delivered, retried by visibility with its group held, given up and marked failing, nothing denied, every grant used', async () => {
    const name = 'userprofile-dev-change-feed-webhooks';
    expect(Object.keys(assembly.environmentOf(name)).sort()).toEqual([
      'ENVIRONMENT',
      'EVENT_TABLE_NAME',
      'LOG_LEVEL',
      'WEBHOOK_QUEUE_URL',
    ]);
    const events = await createEventTestTable();
    const { proxy } = await startRoleProxy(assembly, name, {
      'UserProfileEvents-dev': events.tableName,
    });
    const stub = await startReceiversAndQueue();
    const queueUrl = `${stub.base}/${TEST_ACCOUNT}/userprofile-dev-webhooks.fifo`;
    try {
      const registry = new DynamoWebhookRegistry(testClients().documentClient, events.tableName);
      for (const id of ['good', 'bad']) {
        await registry.put({
          id,
          url: `${stub.base}/${id}`,
          secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
          state: 'enabled',
          createdAt: new Date().toISOString(),
        });
      }
      const now = Date.now();
      const record = (endpointId: string, profile: string, firstReceived: number, v = 1) =>
        queueRecord(endpointId, profile, now, firstReceived, v);
      const [outcome] = await invokeBundle(
        assembly.assetOf(name),
        [
          {
            Records: [
              record('good', 'p1', now),
              record('bad', 'p2', now),
              // Held behind p2.v1 in its group: reported, and visible again at once.
              record('bad', 'p2', now, 2),
              // First tried 28 h ago: past the 27.6 h schedule.
              record('bad', 'p3', now - 28 * 3_600_000),
            ],
          },
        ],
        {
          EVENT_TABLE_NAME: events.tableName,
          WEBHOOK_QUEUE_URL: queueUrl,
          // Loopback receivers: this machine's (in AWS, ENVIRONMENT=dev refuses them).
          ENVIRONMENT: 'local',
          AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint,
          AWS_REGION: 'us-east-1',
          ...ROLE_CREDENTIALS,
        },
      );
      expect(outcome).toEqual({
        batchItemFailures: [{ itemIdentifier: 'bad/p2.v1' }, { itemIdentifier: 'bad/p2.v2' }],
      });
      expect(stub.delivered.sort()).toEqual(['/bad p2.v1', '/bad p3.v1', '/good p1.v1']);
      expect(stub.sqsCalls).toEqual([
        {
          target: 'AmazonSQS.ChangeMessageVisibility',
          input: { QueueUrl: queueUrl, ReceiptHandle: 'handle bad/p2.v1', VisibilityTimeout: 5 },
        },
        {
          target: 'AmazonSQS.ChangeMessageVisibilityBatch',
          input: {
            QueueUrl: queueUrl,
            Entries: [{ Id: '0', ReceiptHandle: 'handle bad/p2.v2', VisibilityTimeout: 0 }],
          },
        },
      ]);
      expect((await registry.get('bad'))?.state).toBe('failing');
      expect(proxy.denials).toEqual([]);
      // Listed the endpoints, read and marked the one given up: every DynamoDB grant used.
      expect(actionsUsed(proxy)).toEqual([
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
      ]);
    } finally {
      stub.close();
      await proxy.stop();
      await events.drop();
    }
  }, 120_000);
});
