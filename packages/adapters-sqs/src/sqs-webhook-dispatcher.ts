import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import {
  attemptDelivery,
  markFailing,
  RETRY_SCHEDULE_MS,
  type WebhookTransport,
} from '@userprofile/adapters-webhooks';
import type { ChangeEvent, WebhookEndpoint, WebhookRegistry } from '@userprofile/domain';
import { nextRetrySeconds } from './retry-schedule';
import { parseWebhookMessage } from './webhook-message';

/** One message of an SQS event as Lambda hands it over (the members read here). */
export interface SqsRecord {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly attributes: {
    readonly MessageGroupId?: string;
    /** Milliseconds since the epoch, as a string: when the message was first received. */
    readonly ApproximateFirstReceiveTimestamp?: string;
    readonly SentTimestamp?: string;
  };
}

/** The partial batch response (`ReportBatchItemFailures`): what stays on the queue. */
export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

export interface SqsWebhookDispatcherOptions {
  readonly client: SQSClient;
  readonly queueUrl: string;
  readonly registry: Pick<WebhookRegistry, 'list' | 'get' | 'put'>;
  readonly transport: WebhookTransport;
  /** Called once an endpoint is marked failing: the metric and alarm hang on it. */
  readonly onFailing: (endpoint: WebhookEndpoint, event: ChangeEvent) => void;
  /** Called for what is dropped or cannot be retried on time (logged). */
  readonly onProblem: (problem: string, details: Record<string, unknown>) => void;
  readonly now?: () => number;
  readonly schedule?: readonly number[];
}

type Outcome = 'done' | 'retry';

/**
 * The queue's side of webhook delivery (ADR 0016): each message delivered with the in-process
 * dispatcher's attempt (signed, the address checked at delivery). A failed delivery stays on the
 * queue, invisible until its next attempt on `RETRY_SCHEDULE_MS`, counted from its first receive
 * (`ApproximateFirstReceiveTimestamp`), and is reported as a batch item failure, as is every later
 * message of its group in the batch (FIFO: a profile's events reach an endpoint in order). Once
 * the schedule has run out the endpoint is marked `failing` and its messages are dropped: the
 * consumer catches up from `GET /events`. Groups are delivered concurrently, each in order.
 */
export class SqsWebhookDispatcher {
  private readonly now: () => number;
  private readonly schedule: readonly number[];

  constructor(private readonly options: SqsWebhookDispatcherOptions) {
    this.now = options.now ?? Date.now;
    this.schedule = options.schedule ?? RETRY_SCHEDULE_MS;
  }

  async handle(records: readonly SqsRecord[]): Promise<SqsBatchResponse> {
    const endpoints = new Map((await this.options.registry.list()).map((e) => [e.id, e]));
    const groups = new Map<string, SqsRecord[]>();
    for (const record of records) {
      const group = record.attributes.MessageGroupId ?? record.messageId;
      groups.set(group, [...(groups.get(group) ?? []), record]);
    }
    const failed = await Promise.all(
      [...groups.values()].map((group) => this.deliverGroup(group, endpoints)),
    );
    return {
      batchItemFailures: failed.flat().map((r) => ({ itemIdentifier: r.messageId })),
    };
  }

  /** A group's messages in order, up to the first to be retried: it and all after it fail. */
  private async deliverGroup(
    group: readonly SqsRecord[],
    endpoints: Map<string, WebhookEndpoint>,
  ): Promise<SqsRecord[]> {
    for (const [i, record] of group.entries()) {
      if ((await this.deliver(record, endpoints)) === 'done') continue;
      const held = group.slice(i + 1);
      await this.showAgain(held);
      return [record, ...held];
    }
    return [];
  }

  private async deliver(
    record: SqsRecord,
    endpoints: Map<string, WebhookEndpoint>,
  ): Promise<Outcome> {
    const message = parseWebhookMessage(record.body);
    if (!message) {
      this.options.onProblem('dropped a message that is no webhook delivery', {
        messageId: record.messageId,
      });
      return 'done';
    }
    const endpoint = endpoints.get(message.endpointId);
    // Deleted, disabled or failing since it was queued: it gets nothing (as in-process).
    if (endpoint?.state !== 'enabled') return 'done';
    const attemptedAt = this.now();
    if (await attemptDelivery(endpoint, message.event, this.options.transport, attemptedAt)) {
      return 'done';
    }
    const first = Number(
      record.attributes.ApproximateFirstReceiveTimestamp ?? record.attributes.SentTimestamp,
    );
    const age = Number.isFinite(first) ? Math.max(0, attemptedAt - first) : 0;
    const wait = nextRetrySeconds(age, this.schedule);
    if (wait === undefined) {
      // Another group of the endpoint may have given up meanwhile: one mark, one metric.
      if (endpoints.get(endpoint.id)?.state !== 'enabled') return 'done';
      // Its later messages in this batch are dropped too.
      endpoints.set(endpoint.id, { ...endpoint, state: 'failing' });
      await markFailing(this.options.registry, endpoint.id);
      this.options.onFailing(endpoint, message.event);
      return 'done';
    }
    await this.hide(record, wait);
    return 'retry';
  }

  /** The message's next attempt in `seconds`; on failure, the queue's visibility timeout. */
  private async hide(record: SqsRecord, seconds: number): Promise<void> {
    try {
      await this.options.client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: this.options.queueUrl,
          ReceiptHandle: record.receiptHandle,
          VisibilityTimeout: seconds,
        }),
      );
    } catch (error) {
      this.options.onProblem('could not set the next attempt of a webhook delivery', {
        messageId: record.messageId,
        err: error,
      });
    }
  }

  /**
   * Messages held behind a failed one visible again at once: the queue does not hand out a
   * group's messages while its head is in flight, and hands them out in order after it, so
   * they wait for the head's retry rather than for the queue's visibility timeout.
   */
  private async showAgain(held: readonly SqsRecord[]): Promise<void> {
    if (held.length === 0) return;
    try {
      await this.options.client.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: this.options.queueUrl,
          Entries: held.map((r, i) => ({
            Id: String(i),
            ReceiptHandle: r.receiptHandle,
            VisibilityTimeout: 0,
          })),
        }),
      );
    } catch (error) {
      this.options.onProblem('could not show held webhook deliveries again', { err: error });
    }
  }
}
