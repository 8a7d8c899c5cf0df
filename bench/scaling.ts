/** Section 3: list and find-by-e-mail latency as the table grows, seeded in steps. */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { createDynamoClients } from '@userprofile/adapters-dynamo';
import {
  DynamoUserProfileRepository,
  emailGuardItem,
  ensureTable,
  toItem,
} from '@userprofile/adapters-dynamo';
import { newUserProfile } from '@userprofile/domain';
import { randomUUID } from 'node:crypto';
import { P, log } from './parameters';
import type { Results } from './results';
import { median, quantile } from './stats';

export async function measureScaling(
  client: ReturnType<typeof createDynamoClients>['client'],
  documentClient: ReturnType<typeof createDynamoClients>['documentClient'],
): Promise<Results['scaling']> {
  const tableName = 'bench-scaling';
  await ensureTable(client, tableName);
  // Lists and finds only: no search table.
  const repo = new DynamoUserProfileRepository(documentClient, { tableName });
  const points: Results['scaling']['points'] = [];
  let seeded = 0;
  for (const target of P.sizes) {
    log(`seeding ${target} profiles`);
    const t0 = performance.now();
    await seed(documentClient, tableName, seeded, target);
    const seedSeconds = (performance.now() - t0) / 1000;
    seeded = target;
    if (target === P.sizes[0]) {
      // Warm-up, discarded: otherwise the first size also measures JIT compilation.
      for (let i = 0; i < P.samples * 2; i++) {
        await repo.list({ limit: 20 });
        await repo.findByEmail(`seed${i % target}@example.com`);
      }
    }
    const list: number[] = [];
    const find: number[] = [];
    for (let i = 0; i < P.samples; i++) {
      let t = performance.now();
      const page = await repo.list({ limit: 20 });
      list.push(performance.now() - t);
      if (page.items.length !== 20) throw new Error('list returned a short page');
      const email = `seed${Math.floor(Math.random() * target)}@example.com`;
      t = performance.now();
      const found = await repo.findByEmail(email);
      find.push(performance.now() - t);
      if (!found) throw new Error(`${email} was not found`);
    }
    points.push({
      profiles: target,
      listP50Ms: median(list),
      listP99Ms: quantile(list, 0.99),
      findP50Ms: median(find),
      findP99Ms: quantile(find, 0.99),
      seedSeconds,
    });
  }
  const first = points[0]!;
  const last = points.at(-1)!;
  return {
    points,
    listRatio: last.listP50Ms / first.listP50Ms,
    findRatio: last.findP50Ms / first.findP50Ms,
  };
}

/** Profiles `seed<from>`..`seed<to-1>`, profile and guard items, 25 per BatchWriteItem, 8 in flight. */
async function seed(
  db: ReturnType<typeof createDynamoClients>['documentClient'],
  tableName: string,
  from: number,
  to: number,
) {
  const base = Date.UTC(2026, 0, 1);
  const batches: Record<string, unknown>[][] = [];
  let batch: Record<string, unknown>[] = [];
  for (let i = from; i < to; i++) {
    const p = newUserProfile(
      {
        email: `seed${i}@example.com`,
        firstName: 'Seed',
        lastName: `Number ${i}`,
        metadata: { i, tags: ['a', 'b'] },
      },
      { userId: randomUUID(), now: new Date(base + i * 1000) },
    );
    batch.push(
      toItem(p) as unknown as Record<string, unknown>,
      emailGuardItem(p) as unknown as Record<string, unknown>,
    );
    if (batch.length >= 24) {
      batches.push(batch);
      batch = [];
    }
  }
  if (batch.length > 0) batches.push(batch);
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let items = batches[next++]!.map((Item) => ({ PutRequest: { Item } }));
      while (items.length > 0) {
        const res = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: items } }));
        items = (res.UnprocessedItems?.[tableName] ?? []) as typeof items;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}
