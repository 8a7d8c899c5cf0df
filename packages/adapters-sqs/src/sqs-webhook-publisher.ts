import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { subscribes } from '@userprofile/adapters-webhooks';
import {
  PublishIncomplete,
  type ChangeEvent,
  type ChangeEventPublisher,
  type WebhookEndpoint,
} from '@userprofile/domain';
import { deduplicationIdOf, groupIdOf, type WebhookMessage } from './webhook-message';

/** SendMessageBatch takes at most 10 entries a call. */
const MAX_ENTRIES_PER_CALL = 10;

export interface SqsWebhookPublisherOptions {
  /** The FIFO queue's URL. */
  readonly queueUrl: string;
  /** The endpoints now (read once for each batch of events). */
  readonly endpoints: () => Promise<readonly WebhookEndpoint[]>;
}

interface Entry {
  readonly message: WebhookMessage;
  readonly entry: SendMessageBatchRequestEntry;
}

/**
 * `ChangeEventPublisher` on the webhook queue (ADR 0016): for each event, in order, one message
 * per enabled endpoint subscribed to its type, in SendMessageBatch calls of at most 10, one after
 * another. `MessageGroupId` is `<endpointId>:<profileId>`, so the queue keeps each profile's
 * order for each endpoint; `MessageDeduplicationId` is `<endpointId>:<eventId>`, so an event
 * sent again within SQS's five-minute window (the stream batch read again) is queued once. When a
 * call fails, or fails one of its entries, no later call is made and `PublishIncomplete` names
 * the event of the first entry not queued: the stream resumes from it, and what is sent again is
 * deduplicated.
 */
export class SqsWebhookPublisher implements ChangeEventPublisher {
  constructor(
    private readonly client: SQSClient,
    private readonly options: SqsWebhookPublisherOptions,
  ) {}

  async publish(events: readonly ChangeEvent[]): Promise<void> {
    if (events.length === 0) return;
    let entries: Entry[];
    try {
      entries = this.entriesOf(events, await this.options.endpoints());
    } catch (error) {
      throw new PublishIncomplete(events[0]!.id, { cause: error });
    }
    for (let from = 0; from < entries.length; from += MAX_ENTRIES_PER_CALL) {
      const call = entries.slice(from, from + MAX_ENTRIES_PER_CALL);
      let answer;
      try {
        answer = await this.client.send(
          new SendMessageBatchCommand({
            QueueUrl: this.options.queueUrl,
            Entries: call.map((e) => e.entry),
          }),
        );
      } catch (error) {
        throw new PublishIncomplete(call[0]!.message.event.id, { cause: error });
      }
      const failed = new Map((answer.Failed ?? []).map((f) => [f.Id, f]));
      const successful = new Set((answer.Successful ?? []).map((s) => s.Id));
      // An entry answered neither way counts as refused: nothing may be lost.
      const at = call.findIndex((e) => failed.has(e.entry.Id) || !successful.has(e.entry.Id));
      if (at < 0) continue;
      const result = failed.get(call[at]!.entry.Id);
      throw new PublishIncomplete(call[at]!.message.event.id, {
        cause: new Error(
          `SQS refused ${call.length - successful.size} of ${call.length} entries, first ${result?.Code ?? 'unanswered'}: ${result?.Message ?? 'no message'}`,
        ),
      });
    }
  }

  /** The messages of the events, event by event in order, each event's endpoints in turn. */
  private entriesOf(events: readonly ChangeEvent[], endpoints: readonly WebhookEndpoint[]) {
    const enabled = endpoints.filter((e) => e.state === 'enabled');
    const entries: Entry[] = [];
    for (const event of events) {
      for (const endpoint of enabled) {
        if (!subscribes(endpoint, event)) continue;
        const message: WebhookMessage = { endpointId: endpoint.id, event };
        entries.push({
          message,
          entry: {
            // Unique within a call: its position.
            Id: String(entries.length % MAX_ENTRIES_PER_CALL),
            MessageBody: JSON.stringify(message),
            MessageGroupId: groupIdOf(message),
            MessageDeduplicationId: deduplicationIdOf(message),
          },
        });
      }
    }
    return entries;
  }
}
