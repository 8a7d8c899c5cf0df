import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import {
  createDynamoClients,
  DynamoChangeEventStore,
  handleStreamBatch,
  type BatchResponse,
  type LambdaStreamRecord,
} from '@userprofile/adapters-dynamo';
import { EventBridgeChangeEventPublisher } from '@userprofile/adapters-eventbridge';
import { RecordChanges, type ChangeEventPublisher } from '@userprofile/domain';

// Built once per cold start, as the other functions' containers are.
const tableName = process.env.EVENT_TABLE_NAME;
if (!tableName) throw new Error('EVENT_TABLE_NAME is required by the stream function');
const { documentClient } = createDynamoClients();
const busName = process.env.EVENT_BUS_NAME;
const publishers: ChangeEventPublisher[] = busName
  ? [
      new EventBridgeChangeEventPublisher(new EventBridgeClient({}), {
        busName,
        ...(process.env.EVENT_SOURCE ? { source: process.env.EVENT_SOURCE } : {}),
      }),
    ]
  : [];
const record = new RecordChanges(new DynamoChangeEventStore(documentClient, tableName), publishers);

/**
 * The Lambda on the profile table's stream: the same event derivation and recording as the local
 * server's reader, then the events on the bus (`EVENT_BUS_NAME`); a failed batch is reported from
 * its first record, or from the first event not published (`ReportBatchItemFailures`).
 */
export function handler(event: { Records: readonly LambdaStreamRecord[] }): Promise<BatchResponse> {
  return handleStreamBatch(event.Records, (events) => record.execute(events));
}
