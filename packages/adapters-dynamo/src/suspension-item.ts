import {
  SUSPENSION_LIMITS,
  SUSPENSION_REASONS,
  type Suspension,
  type SuspensionReason,
  type SuspensionRecord,
} from '@userprofile/domain';

export const SUSPENSION_ITEM_TYPE = 'SUSPENSION';
/**
 * The list-index partition of records whose last suspension is not lifted: one partition, as
 * suspensions are few; the profile shards are "0" to "7", so neither listing sees the other.
 */
export const SUSPENDED_SHARD = 'SUSPENDED';

export const suspensionKey = (userId: string) => ({ userId: `SUSPENSION#${userId}` });

/** How a subject's suspensions are stored: ids, times and reasons, no personal data. */
export interface SuspensionItem {
  userId: string;
  itemType: typeof SUSPENSION_ITEM_TYPE;
  subject: string;
  history: Suspension[];
  version: number;
  /** Present while the last suspension is not lifted (it may have reached its `until`). */
  listShard?: typeof SUSPENDED_SHARD;
  listKey?: string;
  /**
   * The table's TTL attribute (epoch seconds): `retentionDays` after the last suspension ended;
   * absent while one without end is in force. DynamoDB deletes the record some time after.
   */
  ttl?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** When the record may go: a retention period after its last suspension ended, if it has. */
function suspensionTtl(record: SuspensionRecord): number | undefined {
  const last = record.history.at(-1);
  const ended = last?.liftedAt ?? last?.until;
  if (ended === undefined) return undefined;
  return Math.ceil((Date.parse(ended) + SUSPENSION_LIMITS.retentionDays * DAY_MS) / 1000);
}

export function suspensionItem(record: SuspensionRecord): SuspensionItem {
  const last = record.history.at(-1);
  const listed = last !== undefined && last.liftedAt === undefined;
  const ttl = suspensionTtl(record);
  return {
    ...suspensionKey(record.userId),
    itemType: SUSPENSION_ITEM_TYPE,
    subject: record.userId,
    // The marshaller drops no undefined: give it none.
    history: record.history.map((s) => JSON.parse(JSON.stringify(s)) as Suspension),
    version: record.version,
    ...(listed
      ? { listShard: SUSPENDED_SHARD, listKey: `${last.suspendedAt}#${record.userId}` }
      : {}),
    ...(ttl === undefined ? {} : { ttl }),
  };
}

/** Reads a stored record back, checking what it reads; `undefined` if the item is none. */
export function toSuspensionRecord(
  item: Record<string, unknown> | undefined,
): SuspensionRecord | undefined {
  if (!item || item.itemType !== SUSPENSION_ITEM_TYPE) return undefined;
  const { subject, history, version } = item;
  if (typeof subject !== 'string' || typeof version !== 'number' || !Array.isArray(history)) {
    throw new Error(`Stored suspension record ${String(item.userId)} is malformed`);
  }
  return { userId: subject, history: history.map((h) => toSuspension(subject, h)), version };
}

function toSuspension(subject: string, raw: unknown): Suspension {
  const s = (raw ?? {}) as Record<string, unknown>;
  const str = (name: string, optional = false): string | undefined => {
    const value = s[name];
    if (value === undefined && optional) return undefined;
    if (typeof value !== 'string')
      throw new Error(`Stored suspension of ${subject} has no string ${name}`);
    return value;
  };
  const reason = str('reason');
  if (!SUSPENSION_REASONS.includes(reason as SuspensionReason)) {
    throw new Error(`Stored suspension of ${subject} has an unknown reason`);
  }
  const optional = (name: string) => {
    const value = str(name, true);
    return value === undefined ? {} : { [name]: value };
  };
  return {
    reason: reason as SuspensionReason,
    ...optional('note'),
    ...optional('until'),
    suspendedBy: str('suspendedBy')!,
    suspendedAt: str('suspendedAt')!,
    ...optional('liftedBy'),
    ...optional('liftedAt'),
  };
}
