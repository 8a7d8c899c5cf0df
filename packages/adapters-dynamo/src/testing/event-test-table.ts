import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { ensureEventTable } from '../events/event-table-bootstrap';
import { testClients } from './test-table';

/** A fresh change-event table from its shared definition, and a way to drop it. */
export async function createEventTestTable(): Promise<{
  tableName: string;
  drop(): Promise<void>;
}> {
  const { client } = testClients();
  const tableName = `test-events-${randomUUID()}`;
  await ensureEventTable(client, tableName);
  return {
    tableName,
    async drop() {
      await client.send(new DeleteTableCommand({ TableName: tableName }));
    },
  };
}
