import type { WebhookRegistry } from '@userprofile/domain';

/**
 * What `SqsWebhookPublisher` does to the queue, as IAM sees it (SendMessageBatch is authorized
 * as `sqs:SendMessage`): the stream function's grant derives from it.
 */
export const WEBHOOK_QUEUE_PUBLISH_ACCESS = ['sqs:SendMessage'] as const;

/**
 * What the queue's dispatcher needs on the queue: the event source mapping receives, deletes
 * (what was delivered) and reads the queue's attributes on the function's behalf; the code
 * itself only changes a failed message's visibility (its next retry). The dispatcher function's
 * grant derives from it.
 */
export const WEBHOOK_QUEUE_CONSUME_ACCESS = {
  eventSource: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
  code: ['sqs:ChangeMessageVisibility'],
} as const;

/**
 * The webhook registry methods the queue's publisher and dispatcher call: the publisher lists
 * the endpoints, the dispatcher lists them and marks one `failing` (a get, then a put). Their
 * grants derive from the registry adapter's declaration of each method.
 */
export const WEBHOOK_REGISTRY_USE = {
  publisher: ['list'],
  dispatcher: ['list', 'get', 'put'],
} as const satisfies Record<string, readonly (keyof WebhookRegistry)[]>;
