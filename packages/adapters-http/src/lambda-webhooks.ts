import { SQSClient } from '@aws-sdk/client-sqs';
import { createDynamoClients, DynamoWebhookRegistry } from '@userprofile/adapters-dynamo';
import {
  SqsWebhookDispatcher,
  webhookFailingLine,
  type SqsBatchResponse,
  type SqsRecord,
} from '@userprofile/adapters-sqs';
import { httpTransport } from '@userprofile/adapters-webhooks';
import { loadConfig } from './config';
import { allowsLoopback } from './webhook-security';

// Built once per cold start, as the other functions' are.
const config = loadConfig(process.env);
const { eventTableName, webhookQueueUrl } = config;
if (!eventTableName || !webhookQueueUrl) {
  throw new Error('EVENT_TABLE_NAME and WEBHOOK_QUEUE_URL are required by the webhook function');
}
const { documentClient } = createDynamoClients({
  region: config.region,
  ...(config.dynamodbEndpoint ? { endpoint: config.dynamodbEndpoint } : {}),
});
/** One JSON line to standard output: Lambda's log, where CloudWatch reads the EMF metric. */
const log = (line: object | string) =>
  process.stdout.write(`${typeof line === 'string' ? line : JSON.stringify(line)}\n`);
const dispatcher = new SqsWebhookDispatcher({
  client: new SQSClient({ region: config.region }),
  queueUrl: webhookQueueUrl,
  registry: new DynamoWebhookRegistry(documentClient, eventTableName),
  transport: httpTransport({ allowLoopback: allowsLoopback(config) }),
  onFailing: (endpoint, event) =>
    log(webhookFailingLine(config.environment, endpoint.id, event.id, Date.now())),
  onProblem: (problem, details) =>
    log({
      level: 'warn',
      msg: problem,
      ...details,
      ...(details.err instanceof Error ? { err: details.err.message } : {}),
    }),
});

/**
 * The Lambda on the webhook queue (ADR 0016): each message delivered, signed, to its endpoint; a
 * failed one left on the queue for its next attempt and reported (`ReportBatchItemFailures`).
 */
export function handler(event: { Records: readonly SqsRecord[] }): Promise<SqsBatchResponse> {
  return dispatcher.handle(event.Records);
}
