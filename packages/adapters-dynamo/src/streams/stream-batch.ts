import { PublishIncomplete, type ChangeEvent } from '@userprofile/domain';
import { eventFromStreamRecord, type StreamImages } from '../events/stream-record-event';

/** A stream record as Lambda hands it over: its images and its sequence number. */
export type LambdaStreamRecord = StreamImages;

/** Lambda's answer with `ReportBatchItemFailures`: where to resume the shard. */
export interface BatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

/**
 * The stream Lambda's work on one batch, with the local reader's code: the records' events
 * recorded in order. When recording fails, the batch is reported failed from its first record, or
 * from the record of the first event a publisher left unsent (`PublishIncomplete`: everything
 * before it was recorded and published). Lambda then retries from there, bisects on error, and
 * finally sends the rest to the on-failure destination, so nothing after a failure is skipped and
 * per-profile order holds; the events already recorded are deduped by id when read again.
 */
export async function handleStreamBatch(
  records: readonly LambdaStreamRecord[],
  record: (events: readonly ChangeEvent[]) => Promise<unknown>,
): Promise<BatchResponse> {
  const read = records.map((r) => ({
    sequence: r.dynamodb?.SequenceNumber,
    event: eventFromStreamRecord(r),
  }));
  try {
    await record(read.flatMap((r) => (r.event ? [r.event] : [])));
    return { batchItemFailures: [] };
  } catch (error) {
    const unsent =
      error instanceof PublishIncomplete
        ? read.find((r) => r.event?.id === error.firstUnsent)?.sequence
        : undefined;
    const from = unsent ?? read[0]?.sequence;
    return { batchItemFailures: from ? [{ itemIdentifier: from }] : [] };
  }
}
