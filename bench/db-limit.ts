// The database's limit: the same consistent GetItem issued by a plain Node loop at a fixed
// concurrency for a fixed time. Prints { rps, p50, p99, errors } as JSON.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoClients } from '@userprofile/adapters-dynamo';

const [concurrency, seconds, userId] = [
  Number(process.argv[2]),
  Number(process.argv[3]),
  process.argv[4],
];
const { documentClient } = createDynamoClients({ endpoint: process.env.DYNAMODB_ENDPOINT });
const tableName = process.env.TABLE_NAME ?? 'UserProfiles';

async function main() {
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      try {
        await documentClient.send(
          new GetCommand({ TableName: tableName, Key: { userId }, ConsistentRead: true }),
        );
        latencies.push(performance.now() - t0);
      } catch {
        errors++;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  process.stdout.write(
    JSON.stringify({ rps: latencies.length / elapsed, p50: at(0.5), p99: at(0.99), errors }),
  );
}
void main();
