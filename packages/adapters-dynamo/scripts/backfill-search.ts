/**
 * Writes the search items of every profile of a stack deployed before the search table (ADR 0021,
 * ADR 0025) into its search table, and deletes the search items such a stack left in the profile
 * table: run it once after deploying the version that adds the search table. Safe beside live
 * traffic and to run again (each profile's items are written only if it is still the version
 * read). Credentials and region come from the AWS SDK's usual chain (AWS_PROFILE, AWS_REGION...).
 *   pnpm backfill-search --table <TableName> --search-table <SearchTableName> [--segments <n>]
 *     [--endpoint <url>]
 * Progress goes to stderr; the closing count to stdout.
 */
import { DescribeTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { parseArgs } from 'node:util';
import { createDynamoClients } from '../src/dynamo-client';
import { backfillSearchItems, type BackfillCount } from '../src/search-backfill';
import { SEARCH_TABLE } from '../src/table-definition';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      table: { type: 'string' },
      'search-table': { type: 'string' },
      segments: { type: 'string', default: '1' },
      endpoint: { type: 'string' },
    },
  });
  const segments = Number(values.segments);
  const { table: tableName, 'search-table': searchTableName } = values;
  if (!tableName) throw new Error('--table is required: the stack output TableName');
  if (!searchTableName) {
    throw new Error('--search-table is required: the stack output SearchTableName');
  }
  if (!Number.isInteger(segments) || segments < 1 || segments > 64) {
    throw new Error(`--segments must be a whole number from 1 to 64 (got "${values.segments}")`);
  }
  const { client, documentClient } = createDynamoClients({
    ...(values.endpoint ? { endpoint: values.endpoint } : {}),
    requestTimeoutMs: 10_000,
  });
  const index = SEARCH_TABLE.searchIndex.indexName;
  const search = await client
    .send(new DescribeTableCommand({ TableName: searchTableName }))
    .catch((error: unknown) => {
      if (error instanceof ResourceNotFoundException) return undefined;
      throw error;
    });
  if (!search?.Table?.GlobalSecondaryIndexes?.some((i) => i.IndexName === index)) {
    // The running service would not keep the items written now: deploy the search table first.
    throw new Error(
      `${searchTableName} is no search table (none, or without ${index}): deploy the stack version with the search table first`,
    );
  }
  const done: BackfillCount[] = Array.from({ length: segments }, () => ({
    indexed: 0,
    removed: 0,
  }));
  const total = (key: keyof BackfillCount, of = done) => of.reduce((a, b) => a + b[key], 0);
  const counts = await Promise.all(
    done.map((_, segment) =>
      backfillSearchItems(
        documentClient,
        { tableName, searchTableName },
        {
          ...(segments > 1 ? { segment, totalSegments: segments } : {}),
          onProgress: (count) => {
            done[segment] = count;
            process.stderr.write(
              `indexed ${total('indexed')} profiles, removed ${total('removed')} old search items\n`,
            );
          },
        },
      ),
    ),
  );
  process.stdout.write(
    `${total('indexed', counts)} profiles indexed in ${searchTableName}, ${total('removed', counts)} old search items removed from ${tableName}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `backfill-search: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
