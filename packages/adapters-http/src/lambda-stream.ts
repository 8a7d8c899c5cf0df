import {
  createDynamoClients,
  DynamoChangeEventStore,
  handleStreamBatch,
  type BatchResponse,
  type LambdaStreamRecord,
} from '@userprofile/adapters-dynamo';
import { RecordChanges } from '@userprofile/domain';

// Built once per cold start, as the other functions' containers are.
const tableName = process.env.EVENT_TABLE_NAME;
if (!tableName) throw new Error('EVENT_TABLE_NAME is required by the stream function');
const { documentClient } = createDynamoClients();
const record = new RecordChanges(new DynamoChangeEventStore(documentClient, tableName));

/**
 * The Lambda on the profile table's stream: the same event derivation and recording as the local
 * server's reader; a failed batch is reported from its first record (`ReportBatchItemFailures`).
 */
export function handler(event: { Records: readonly LambdaStreamRecord[] }): Promise<BatchResponse> {
  return handleStreamBatch(event.Records, (events) => record.execute(events));
}
