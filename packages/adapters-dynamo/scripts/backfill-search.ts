/**
 * Writes the search items of every profile in a table deployed before the search existed (ADR
 * 0021): run it once after deploying the version that adds `SearchIndex`. Safe beside live
 * traffic and to run again (each profile's items are written only if it is still the version
 * read). Credentials and region come from the AWS SDK's usual chain (AWS_PROFILE, AWS_REGION...).
 *   pnpm backfill-search --table <TableName> [--segments <n>] [--endpoint <url>]
 * Progress goes to stderr; the closing count to stdout.
 */
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { parseArgs } from 'node:util';
import { createDynamoClients } from '../src/dynamo-client';
import { backfillSearchItems } from '../src/search-backfill';
import { USER_PROFILE_TABLE as T } from '../src/table-definition';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      table: { type: 'string' },
      segments: { type: 'string', default: '1' },
      endpoint: { type: 'string' },
    },
  });
  const segments = Number(values.segments);
  if (!values.table) throw new Error('--table is required: the stack output TableName');
  if (!Number.isInteger(segments) || segments < 1 || segments > 64) {
    throw new Error(`--segments must be a whole number from 1 to 64 (got "${values.segments}")`);
  }
  const { client, documentClient } = createDynamoClients({
    ...(values.endpoint ? { endpoint: values.endpoint } : {}),
    requestTimeoutMs: 10_000,
  });
  const { Table } = await client.send(new DescribeTableCommand({ TableName: values.table }));
  if (!Table?.GlobalSecondaryIndexes?.some((i) => i.IndexName === T.searchIndex.indexName)) {
    // The running service would not keep the items written now: deploy the search first.
    throw new Error(
      `${values.table} has no ${T.searchIndex.indexName}: deploy the stack version with the search first`,
    );
  }
  const done = Array.from({ length: segments }, () => 0);
  const counts = await Promise.all(
    done.map((_, segment) =>
      backfillSearchItems(documentClient, values.table!, {
        ...(segments > 1 ? { segment, totalSegments: segments } : {}),
        onProgress: (indexed) => {
          done[segment] = indexed;
          process.stderr.write(`indexed ${done.reduce((a, b) => a + b, 0)} profiles\n`);
        },
      }),
    ),
  );
  process.stdout.write(
    `${counts.reduce((a, b) => a + b, 0)} profiles indexed in ${values.table}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `backfill-search: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
