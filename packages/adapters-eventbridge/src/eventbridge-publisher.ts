import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import {
  PublishIncomplete,
  type ChangeEvent,
  type ChangeEventPublisher,
} from '@userprofile/domain';
import { DEFAULT_EVENT_SOURCE } from './event-bus-access';
import { entryOf, inCalls, MAX_BYTES_PER_CALL } from './event-entries';

/** Where the events go. */
export interface EventBridgePublisherOptions {
  /** The custom bus's name (or ARN). */
  readonly busName: string;
  /** The events' `source`, which rules match on: `userprofile` by default. */
  readonly source?: string;
}

/**
 * `ChangeEventPublisher` on an EventBridge bus: the events in PutEvents calls of at most 10
 * entries and 256 KiB, one call after another. When a call fails, or fails some of its entries,
 * no later call is made and `PublishIncomplete` names the first event not put: everything before
 * it is on the bus, and the stream resumes from it (the batch item failure), so an event may be
 * put twice (consumers dedupe by `detail.id`) but never lost. EventBridge keeps no order: a
 * consumer orders a profile's events by `detail.version`.
 */
export class EventBridgeChangeEventPublisher implements ChangeEventPublisher {
  private readonly source: string;

  constructor(
    private readonly client: EventBridgeClient,
    private readonly options: EventBridgePublisherOptions,
  ) {
    this.source = options.source ?? DEFAULT_EVENT_SOURCE;
  }

  async publish(events: readonly ChangeEvent[]): Promise<void> {
    const entries = events.map((e) => entryOf(e, this.options.busName, this.source));
    let calls;
    try {
      calls = inCalls(entries);
    } catch (error) {
      // Too large to put: the first such event and all after it stay unsent.
      const tooLarge = entries.find((e) => e.bytes > MAX_BYTES_PER_CALL)!;
      throw new PublishIncomplete(tooLarge.event.id, { cause: error });
    }
    for (const call of calls) {
      let answer;
      try {
        answer = await this.client.send(
          new PutEventsCommand({ Entries: call.map((e) => e.entry) }),
        );
      } catch (error) {
        throw new PublishIncomplete(call[0]!.event.id, { cause: error });
      }
      if (!answer.FailedEntryCount) continue;
      // Entries answer in the order sent; a failed one carries an ErrorCode.
      const failed = call.findIndex((_, i) => answer.Entries?.[i]?.ErrorCode !== undefined);
      const at = failed < 0 ? 0 : failed;
      const result = answer.Entries?.[at];
      throw new PublishIncomplete(call[at]!.event.id, {
        cause: new Error(
          `EventBridge refused ${answer.FailedEntryCount} of ${call.length} entries, first ${result?.ErrorCode ?? 'unnamed'}: ${result?.ErrorMessage ?? 'no message'}`,
        ),
      });
    }
  }
}
