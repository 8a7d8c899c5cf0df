import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { StorageUnavailable } from '@userprofile/domain';
import { translateTransient } from './dynamo-errors';

/** DynamoDB's limit of keys in one BatchGetItem. */
const BATCH_GET_MAX_KEYS = 100;
/** Rounds of reading the keys DynamoDB left unprocessed (under throttling) before giving up. */
const UNPROCESSED_ROUNDS = 3;

type Key = { userId: string };

/**
 * The items with these keys that exist, in any order, read strongly consistently: one
 * BatchGetItem per 100 keys, plus at most `UNPROCESSED_ROUNDS` more for keys left unprocessed.
 * @throws StorageUnavailable when keys are still unprocessed after those rounds.
 */
export async function batchGet(
  db: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Key[],
): Promise<Record<string, unknown>[]> {
  const seen = new Set<string>();
  const unique = keys.filter((k) => !seen.has(k.userId) && seen.add(k.userId));
  // One request's worth (every read of one profile: two keys): read as is, no chunks to merge.
  if (unique.length <= BATCH_GET_MAX_KEYS) return readChunk(db, tableName, unique);
  const chunks: Key[][] = [];
  for (let i = 0; i < unique.length; i += BATCH_GET_MAX_KEYS) {
    chunks.push(unique.slice(i, i + BATCH_GET_MAX_KEYS));
  }
  const found = await Promise.all(chunks.map((chunk) => readChunk(db, tableName, chunk)));
  return found.flat();
}

async function readChunk(
  db: DynamoDBDocumentClient,
  tableName: string,
  keys: Key[],
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let pending: Key[] = keys;
  for (let round = 0; pending.length > 0; round++) {
    if (round > UNPROCESSED_ROUNDS) throw new StorageUnavailable();
    if (round > 0) await sleep(20 * 2 ** round * Math.random());
    const answer = await translateTransient(() =>
      db.send(
        new BatchGetCommand({
          RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } },
        }),
      ),
    );
    items.push(...(answer.Responses?.[tableName] ?? []));
    pending = (answer.UnprocessedKeys?.[tableName]?.Keys ?? []) as Key[];
  }
  return items;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
