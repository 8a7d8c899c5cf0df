export {
  SqsWebhookDispatcher,
  type SqsBatchResponse,
  type SqsRecord,
  type SqsWebhookDispatcherOptions,
} from './sqs-webhook-dispatcher';
export { SqsWebhookPublisher, type SqsWebhookPublisherOptions } from './sqs-webhook-publisher';
export { webhookFailingLine } from './webhook-failing-metric';
