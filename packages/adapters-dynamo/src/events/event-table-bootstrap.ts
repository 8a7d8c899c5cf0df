import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureTableFrom } from '../table-bootstrap';
import { createEventTableInput, EVENT_TABLE } from './event-table-definition';

/** Creates the change-event table when it is missing (local server and tests). */
export function ensureEventTable(client: DynamoDBClient, tableName: string): Promise<boolean> {
  return ensureTableFrom(client, createEventTableInput(tableName), EVENT_TABLE.timeToLiveAttribute);
}
