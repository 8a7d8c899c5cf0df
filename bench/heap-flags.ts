// Compares the local server's peak RSS, throughput and CPU time per GET under different Node heap
// flags, alternating them on one DynamoDB Local (the first run warms the database up and is
// dropped). Used to choose the flags of the start command; see "Memory" in docs/benchmarks.md and
// ADR 0026.
//   node --import tsx bench/heap-flags.ts ['' '--max-old-space-size=384' ...]   (after pnpm bench)
import {
  createDynamoClients,
  DynamoUserProfileRepository,
  ensureSearchTable,
  ensureTable,
} from '@userprofile/adapters-dynamo';
import { startDynamoDbLocal } from '@userprofile/local-servers';
import { newUserProfile } from '@userprofile/domain';
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createProfileRequests } from './create-requests';
import { peakRssMb, processCpuUs } from './load';

const serverJs = join(__dirname, '../packages/adapters-http/dist/bench-server.js');
const flagSets = process.argv.length > 2 ? process.argv.slice(2) : ['', '--max-old-space-size=384'];
const SECONDS = 10;

const rps = (options: autocannon.Options) =>
  new Promise<number>((resolve, reject) =>
    autocannon({ connections: 16, duration: SECONDS, ...options }, (error, result) =>
      error
        ? reject(error instanceof Error ? error : new Error(String(error)))
        : resolve(result.requests.average),
    ),
  );
async function main(): Promise<void> {
  const ddb = await startDynamoDbLocal({ heapMb: 2048 });
  try {
    const { client, documentClient } = createDynamoClients({
      endpoint: ddb.endpoint,
      requestTimeoutMs: 10_000,
    });
    // The search table by the name the server derives from TABLE_NAME.
    const tables = { tableName: 'HeapFlags', searchTableName: 'HeapFlags-search' };
    await ensureTable(client, tables.tableName);
    await ensureSearchTable(client, tables.searchTableName);
    const userId = randomUUID();
    await new DynamoUserProfileRepository(documentClient, tables).create(
      newUserProfile(
        { email: 'a@example.com', firstName: 'A', lastName: 'B' },
        { userId, now: new Date() },
      ),
    );
    const order = [flagSets[0]!, ...flagSets, ...flagSets];
    for (const [i, flags] of order.entries()) {
      const port = 3300 + i;
      const child = spawn(process.execPath, [...flags.split(' ').filter(Boolean), serverJs], {
        env: {
          PATH: process.env.PATH,
          DYNAMODB_ENDPOINT: ddb.endpoint,
          AWS_REGION: 'us-east-1',
          TABLE_NAME: 'HeapFlags',
          PORT: String(port),
          S3_PORT: '0',
        },
        stdio: 'ignore',
      });
      const base = `http://127.0.0.1:${port}`;
      for (;;) {
        try {
          await fetch(`${base}/health`);
          break;
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      // A GET run discarded first: the JIT warms up, and V8's allocation-site feedback (ADR 0026)
      // builds up, as in a server that has been running.
      await rps({ url: `${base}/users/${userId}` });
      const cpuBefore = processCpuUs(child.pid!);
      const get = await rps({ url: `${base}/users/${userId}` });
      const cpuPerGet = (processCpuUs(child.pid!) - cpuBefore) / (get * SECONDS);
      const post = await rps({ url: base, requests: createProfileRequests() });
      const list = await rps({ url: `${base}/users?limit=20` });
      const line = `${flags || '(no flags)'}: GET ${get.toFixed(0)} (CPU ${cpuPerGet.toFixed(0)} µs each), POST ${post.toFixed(0)}, list ${list.toFixed(0)} req/s; peak RSS ${peakRssMb(child.pid!).toFixed(1)} MB`;
      console.log(i === 0 ? `warm-up, dropped: ${line}` : line);
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  } finally {
    await ddb.stop();
  }
}

void main();
