import {
  DescribeTableCommand,
  UpdateTableCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ProfileTables } from './profile-tables';
import { backfillSearchItems, type BackfillCount } from './search-backfill';
import { ensureSearchTable } from './table-bootstrap';
import { SEARCH_TABLE } from './table-definition';

const INDEX_NAME = SEARCH_TABLE.searchIndex.indexName;

/**
 * The search table of a local data directory (local server and tests only: a deployed stack gets
 * its table from the CDK stack and its items from `pnpm backfill-search`). Creates the table when
 * it is missing; when it was, or when the profile table still has the `SearchIndex` of ADR 0021,
 * writes the search items of the profiles the profile table holds, deletes those left there, and
 * then drops that index, the profile table's last trace of them (so a start interrupted before
 * that does it again). Answers what it did, or `undefined` when there was nothing to do.
 */
export async function migrateSearchTable(
  client: DynamoDBClient,
  db: DynamoDBDocumentClient,
  tables: Required<ProfileTables>,
): Promise<BackfillCount | undefined> {
  const created = await ensureSearchTable(client, tables.searchTableName);
  const oldIndex = await hasSearchIndex(client, tables.tableName);
  if (!created && !oldIndex) return undefined;
  const done = await backfillSearchItems(db, tables);
  if (oldIndex) {
    await client.send(
      new UpdateTableCommand({
        TableName: tables.tableName,
        GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: INDEX_NAME } }],
      }),
    );
  }
  return done;
}

async function hasSearchIndex(client: DynamoDBClient, tableName: string): Promise<boolean> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  return (Table?.GlobalSecondaryIndexes ?? []).some(
    (i) => i.IndexName === INDEX_NAME && i.IndexStatus !== 'DELETING',
  );
}
