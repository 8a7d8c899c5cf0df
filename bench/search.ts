/**
 * Administrators' search (GET /users/search's use case on DynamoDB) at growing numbers of stored
 * profiles: p50/p99 of a first page. Part of `pnpm bench` (run.ts), and runnable alone, on a
 * DynamoDB Local of its own, writing bench/results/search.json for the report:
 * Usage: tsx bench/search.ts [--quick]   (quick: 1,000 and 10,000 profiles; else also 100,000)
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import {
  DynamoProfileSearch,
  DynamoUserProfileRepository,
  createDynamoClients,
  createTableInput,
  ensureSearchTable,
  ensureTableFrom,
  searchItemsOf,
  toItem,
  USER_PROFILE_TABLE,
} from '@userprofile/adapters-dynamo';
import { OPEN_ACCESS, SearchUserProfiles, newUserProfile } from '@userprofile/domain';
import { startDynamoDbLocal } from '@userprofile/local-servers';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SearchFigures } from './results';

type Clients = ReturnType<typeof createDynamoClients>;

/** The sizes measured: the smallest and the largest are the budget's. */
export const searchSizes = (quick: boolean) => (quick ? [1000, 10_000] : [1000, 10_000, 100_000]);

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
/** A surname of 7 random letters: names as diverse as real ones, so prefixes spread. */
const surname = () =>
  Array.from({ length: 7 }, () => LETTERS[Math.floor(Math.random() * 26)]).join('');

/**
 * Seeds up to each size (profiles with their search items, BatchWriteItem of 25, 16 in flight),
 * then times `samples` first pages of two searches alternately: a broad one (`name=seed`, every
 * profile matches: a full page of 20 from 8 shards) and an exact one (the full name of a random
 * stored profile, longer than the prefixes kept: the filtered path, one match).
 */
export async function measureSearch(
  { client, documentClient }: Clients,
  sizes: readonly number[],
  samples: number,
  log: (message: string) => void,
): Promise<SearchFigures> {
  const tableName = `bench-search-${randomUUID()}`;
  const tables = { tableName, searchTableName: `${tableName}-search` };
  // The profile table's definition without its stream: a search reads none, and DynamoDB Local's
  // writes slow with every stream record it holds (README). (Before ADR 0025 the search items
  // were in this table too: seeding 100,000 profiles' 2.6 million items with a stream took
  // 1,330 s.) The search table has none of its own.
  await ensureTableFrom(
    client,
    { ...createTableInput(tableName), StreamSpecification: undefined },
    USER_PROFILE_TABLE.timeToLiveAttribute,
  );
  await ensureSearchTable(client, tables.searchTableName);
  const repository = new DynamoUserProfileRepository(documentClient, tables);
  const search = new SearchUserProfiles(
    new DynamoProfileSearch(documentClient, tables),
    repository,
    { now: () => new Date() },
  );
  const names: string[] = [];
  const points: SearchFigures['points'] = [];
  for (const size of sizes) {
    log(`search: seeding ${size} profiles`);
    const t0 = performance.now();
    await seed(documentClient, tables, names, size);
    const seedSeconds = (performance.now() - t0) / 1000;
    const page = async (i: number) => {
      const exact = i % 2 === 1;
      const name = exact ? names[Math.floor(Math.random() * names.length)]! : 'seed';
      const t = performance.now();
      const found = await search.execute(OPEN_ACCESS, { name, limit: 20 });
      const ms = performance.now() - t;
      if (found.items.length !== (exact ? 1 : 20)) {
        throw new Error(`search ${name} found ${found.items.length}`);
      }
      return ms;
    };
    // Warm-up, discarded: otherwise the first size also measures JIT compilation.
    if (size === sizes[0]) for (let i = 0; i < samples; i++) await page(i);
    const times: number[] = [];
    for (let i = 0; i < samples * 2; i++) times.push(await page(i));
    times.sort((a, b) => a - b);
    points.push({
      profiles: size,
      p50Ms: times[Math.floor(times.length / 2)]!,
      p99Ms: times[Math.min(times.length - 1, Math.floor(0.99 * times.length))]!,
      seedSeconds,
    });
    log(`search: ${size} profiles, p50 ${points.at(-1)!.p50Ms.toFixed(2)} ms`);
  }
  return { points, ratio: points.at(-1)!.p50Ms / points[0]!.p50Ms };
}

/** Profiles until `names` holds `size`, and their search items, straight into their tables. */
async function seed(
  db: Clients['documentClient'],
  tables: { tableName: string; searchTableName: string },
  names: string[],
  size: number,
) {
  const base = Date.UTC(2026, 0, 1);
  const items: [string, Record<string, unknown>][] = [];
  for (let i = names.length; i < size; i++) {
    const lastName = surname();
    const p = newUserProfile(
      { email: `seed${i}@example.com`, firstName: 'Seed', lastName },
      { userId: randomUUID(), now: new Date(base + i * 1000) },
    );
    names.push(`seed ${lastName}`);
    items.push([tables.tableName, toItem(p) as unknown as Record<string, unknown>]);
    for (const item of searchItemsOf(p)) {
      items.push([tables.searchTableName, item as unknown as Record<string, unknown>]);
    }
  }
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const start = next;
      next += 25;
      // A batch may span both tables: BatchWriteItem takes up to 25 requests across tables.
      let batch: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> = {};
      for (const [tableName, Item] of items.slice(start, start + 25)) {
        (batch[tableName] ??= []).push({ PutRequest: { Item } });
      }
      while (Object.keys(batch).length > 0) {
        const res = await db.send(new BatchWriteCommand({ RequestItems: batch }));
        batch = (res.UnprocessedItems ?? {}) as typeof batch;
      }
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
  const db = await startDynamoDbLocal({ heapMb: 2048 });
  try {
    const clients = createDynamoClients({ endpoint: db.endpoint, requestTimeoutMs: 10_000 });
    const figures = await measureSearch(clients, searchSizes(quick), quick ? 20 : 50, log);
    const out = join(__dirname, 'results', 'search.json');
    mkdirSync(join(__dirname, 'results'), { recursive: true });
    const command = `tsx bench/search.ts${quick ? ' --quick' : ''}`;
    writeFileSync(
      out,
      `${JSON.stringify({ ...figures, command, generatedAt: new Date().toISOString() }, null, 2)}\n`,
    );
    process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
  } finally {
    await db.stop();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
