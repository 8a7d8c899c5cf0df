import { DynamoWebhookRegistry } from '@userprofile/adapters-dynamo';
import {
  createEventTestTable,
  profileStreamRecord,
  testClients,
} from '@userprofile/adapters-dynamo/testing';
import { invokeBundle } from '@userprofile/adapters-http/testing-bundle';
import { applyUpdate, newUserProfile, type ChangeEvent } from '@userprofile/domain';
import { testUserId } from '@userprofile/domain/testing';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TEST_ACCOUNT } from './iam-enforcing-proxy';
import { synthesizedAssembly } from './testing/cloud-assembly';
import { actionsUsed, ROLE_CREDENTIALS, startRoleProxy } from './testing/function-roles';

interface PutEntry {
  Source: string;
  DetailType: string;
  Detail: string;
  EventBusName: string;
}
interface QueuedEntry {
  Id: string;
  MessageBody: string;
  MessageGroupId: string;
  MessageDeduplicationId: string;
}

/**
 * EventBridge's PutEvents, as its JSON protocol answers it, recording what was put; and SQS's
 * SendMessageBatch (the webhook queue), recording what was queued.
 */
async function startBusAndQueue() {
  const put: PutEntry[] = [];
  const queued: QueuedEntry[] = [];
  const bus = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (req.headers['x-amz-target'] === 'AmazonSQS.SendMessageBatch') {
        const { Entries } = JSON.parse(body) as { Entries: QueuedEntry[] };
        queued.push(...Entries);
        // The client checks each body's MD5, as SQS answers it.
        const successful = Entries.map((e) => ({
          Id: e.Id,
          MessageId: `m-${e.Id}`,
          MD5OfMessageBody: createHash('md5').update(e.MessageBody).digest('hex'),
        }));
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify({ Successful: successful, Failed: [] }));
        return;
      }
      const { Entries } = JSON.parse(body) as { Entries: PutEntry[] };
      put.push(...Entries);
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(
        JSON.stringify({
          FailedEntryCount: 0,
          Entries: Entries.map((_, i) => ({ EventId: `e${i}` })),
        }),
      );
    });
  });
  await new Promise<void>((r) => bus.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(bus.address() as AddressInfo).port}`;
  return { put, queued, url, close: () => bus.close() };
}

/**
 * `cdk synth` as a user runs it, then the change feed's stream function from its asset under its
 * own role, fed a batch of the profile table's stream.
 */
describe('the synthesized cloud assembly: the stream function under its own IAM policy', () => {
  const assembly = synthesizedAssembly();

  it('runs the stream function from its asset under its own IAM policy: events recorded, put on the bus, webhook deliveries queued, nothing denied', async () => {
    const name = 'userprofile-dev-change-feed';
    const events = await createEventTestTable();
    const { proxy } = await startRoleProxy(assembly, name, {
      'UserProfileEvents-dev': events.tableName,
    });
    const stub = await startBusAndQueue();
    try {
      const at = new Date();
      const created = newUserProfile(
        { email: 'stream@example.com', firstName: 'S', lastName: 'T' },
        { userId: testUserId(8301), now: at },
      );
      const changed = applyUpdate(created, { lastName: 'U' }, new Date(at.getTime() + 1000));
      const batch = {
        Records: [
          profileStreamRecord('1', undefined, created),
          profileStreamRecord('2', created, changed),
          profileStreamRecord('3', changed, undefined),
        ],
      };
      expect(assembly.environmentOf(name)).toMatchObject({ EVENT_SOURCE: 'userprofile' });
      expect(assembly.environmentOf(name)).toHaveProperty('WEBHOOK_QUEUE_URL');
      await new DynamoWebhookRegistry(testClients().documentClient, events.tableName).put({
        id: 'wh-1',
        url: 'https://hooks.example.com/a',
        secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
        state: 'enabled',
        createdAt: at.toISOString(),
      });
      const [outcome] = await invokeBundle(assembly.assetOf(name), [batch], {
        EVENT_TABLE_NAME: events.tableName,
        EVENT_BUS_NAME: 'userprofile-dev-changes',
        EVENT_SOURCE: 'userprofile',
        AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint,
        AWS_ENDPOINT_URL_EVENTBRIDGE: stub.url,
        // The SDK sends SQS calls to the queue URL's host.
        WEBHOOK_QUEUE_URL: `${stub.url}/${TEST_ACCOUNT}/userprofile-dev-webhooks.fifo`,
        AWS_REGION: 'us-east-1',
        ...ROLE_CREDENTIALS,
        LOG_LEVEL: 'warn',
      });
      expect(outcome).toEqual({ batchItemFailures: [] });
      expect(stub.put.map((e) => [e.EventBusName, e.Source, e.DetailType])).toEqual(
        ['profile.created', 'profile.updated', 'profile.deleted'].map((type) => [
          'userprofile-dev-changes',
          'userprofile',
          type,
        ]),
      );
      const details = stub.put.map((e) => JSON.parse(e.Detail) as ChangeEvent);
      expect(details.map((detail) => detail.version)).toEqual([1, 2, 3]);
      // One webhook delivery queued per event, in order, in the endpoint's group for the profile.
      expect(stub.queued.map((e) => [e.MessageGroupId, e.MessageDeduplicationId])).toEqual(
        details.map(({ id }) => [`wh-1:${created.userId}`, `wh-1:${id}`]),
      );
      expect(proxy.denials).toEqual([]);
      // Recorded, then the deletion erased the history: the id-only deletion is what is left.
      expect(actionsUsed(proxy)).toEqual([
        'dynamodb:DeleteItem',
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
