import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import {
  createDynamoClients,
  DynamoChangeEventStore,
  DynamoWebhookRegistry,
  handleStreamBatch,
  type BatchResponse,
  type LambdaStreamRecord,
} from '@userprofile/adapters-dynamo';
import { EventBridgeChangeEventPublisher } from '@userprofile/adapters-eventbridge';
import { SqsWebhookPublisher } from '@userprofile/adapters-sqs';
import { SQSClient } from '@aws-sdk/client-sqs';
import { RecordChanges, type ChangeEventPublisher } from '@userprofile/domain';

// Built once per cold start, as the other functions' containers are.
const tableName = process.env.EVENT_TABLE_NAME;
if (!tableName) throw new Error('EVENT_TABLE_NAME is required by the stream function');
const { documentClient } = createDynamoClients();
const busName = process.env.EVENT_BUS_NAME;
const queueUrl = process.env.WEBHOOK_QUEUE_URL;
const registry = new DynamoWebhookRegistry(documentClient, tableName);
const publishers: ChangeEventPublisher[] = [
  ...(busName
    ? [
        new EventBridgeChangeEventPublisher(new EventBridgeClient({}), {
          busName,
          ...(process.env.EVENT_SOURCE ? { source: process.env.EVENT_SOURCE } : {}),
        }),
      ]
    : []),
  // Webhook deliveries are queued, one message per endpoint and event (ADR 0016).
  ...(queueUrl
    ? [new SqsWebhookPublisher(new SQSClient({}), { queueUrl, endpoints: () => registry.list() })]
    : []),
];
const record = new RecordChanges(new DynamoChangeEventStore(documentClient, tableName), publishers);

/**
 * The Lambda on the profile table's stream: the same event derivation and recording as the local
 * server's reader, then the events on the bus (`EVENT_BUS_NAME`) and the webhook deliveries on
 * their queue (`WEBHOOK_QUEUE_URL`); a failed batch is reported from
 * its first record, or from the first event not published (`ReportBatchItemFailures`).
 */
export function handler(event: { Records: readonly LambdaStreamRecord[] }): Promise<BatchResponse> {
  return handleStreamBatch(event.Records, (events) => record.execute(events));
}
