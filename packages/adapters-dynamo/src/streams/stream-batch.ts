import type { ChangeEvent } from '@userprofile/domain';
import { eventFromStreamRecord, type StreamImages } from '../events/stream-record-event';

/** A stream record as Lambda hands it over: its images and its sequence number. */
export type LambdaStreamRecord = StreamImages;

/** Lambda's answer with `ReportBatchItemFailures`: where to resume the shard. */
export interface BatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

/**
 * The stream Lambda's work on one batch, with the local reader's code: the records' events
 * recorded in order. When recording fails, the batch is reported failed from its first record
 * (Lambda then retries, bisects on error, and finally sends the batch to the on-failure
 * destination), so nothing after a failure is skipped and per-profile order holds; the events
 * already recorded are deduped by id when read again.
 */
export async function handleStreamBatch(
  records: readonly LambdaStreamRecord[],
  record: (events: readonly ChangeEvent[]) => Promise<unknown>,
): Promise<BatchResponse> {
  const first = records[0]?.dynamodb?.SequenceNumber;
  try {
    await record(
      records.flatMap((r) => {
        const event = eventFromStreamRecord(r);
        return event ? [event] : [];
      }),
    );
    return { batchItemFailures: [] };
  } catch {
    return { batchItemFailures: first ? [{ itemIdentifier: first }] : [] };
  }
}
