import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { translateTransient } from './dynamo-errors';

/**
 * Whether the table answers: a key-only read of an item that never exists (0.5 RCU). A database
 * that is down, slow or throttling fails it with the domain's `StorageUnavailable`, as every
 * repository call does; anything else (a missing table, say) is rethrown as it is.
 */
export function tableReadiness(db: DynamoDBDocumentClient, tableName: string): () => Promise<void> {
  const probe = new GetCommand({ TableName: tableName, Key: { userId: 'READINESS#probe' } });
  return async () => {
    await translateTransient(() => db.send(probe));
  };
}
