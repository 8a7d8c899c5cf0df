import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import {
  IdempotencyKeyInUse,
  ProfileAlreadyExists,
  ProfileNotFound,
  StorageUnavailable,
  VersionConflict,
  type ChangeAuthor,
  type IdempotencyRecord,
  type Page,
  type PageRequest,
  type SuspensionPage,
  type SuspensionRecord,
  type UserProfile,
  type UserProfileRepository,
} from '@userprofile/domain';
import {
  AUTHOR_ATTRIBUTE,
  DELETION_TOKEN_ATTRIBUTE,
  deletionMark,
  storedAuthor,
} from './change-attribution';
import { cancellationCodes, cancellationItem, translateTransient } from './dynamo-errors';
import { batchGet } from './batch-reads';
import { guardSteps, usernameGuardKey, type GuardStep } from './guard-items';
import { decodeCursor, encodeCursor } from './list-cursor';
import {
  emailGuardKey,
  idempotencyItem,
  idempotencyKey,
  toItem,
  toIdempotencyRecord,
  toProfile,
  type ProfileItem,
} from './profile-item';
import {
  SUSPENDED_SHARD,
  suspensionItem,
  suspensionKey,
  toSuspensionRecord,
} from './suspension-item';
import { USER_PROFILE_TABLE as T } from './table-definition';

type TransactItems = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>;

/** How many items a filtered listing may evaluate in each list shard per request (8 shards). */
export const FILTERED_READS_PER_SHARD = 50;

/** A transaction that lost only to another in-flight transaction is retried this many times. */
const TRANSACTION_CONFLICT_ATTEMPTS = 5;

/**
 * `UserProfileRepository` on one DynamoDB table. Profiles and e-mail guard items live side by
 * side; every write is a conditional write or a transaction, so no failure leaves half a change.
 */
export class DynamoUserProfileRepository implements UserProfileRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  get(userId: string): Promise<UserProfile | undefined> {
    return translateTransient(async () => {
      const { Item } = await this.db.send(
        new GetCommand({ TableName: this.tableName, Key: { userId }, ConsistentRead: true }),
      );
      return toProfile(Item);
    });
  }

  async findByEmail(email: string): Promise<UserProfile | undefined> {
    const guard = await translateTransient(() =>
      this.db.send(
        new GetCommand({
          TableName: this.tableName,
          Key: emailGuardKey(email),
          ConsistentRead: true,
        }),
      ),
    );
    const ownerId = guard.Item?.ownerId;
    if (typeof ownerId !== 'string') return undefined;
    const profile = await this.get(ownerId);
    return profile?.email === email ? profile : undefined;
  }

  async create(
    profile: UserProfile,
    idempotency?: IdempotencyRecord,
    by?: ChangeAuthor,
  ): Promise<void> {
    const notExists = 'attribute_not_exists(userId)';
    const item = {
      ...toItem(profile),
      [AUTHOR_ATTRIBUTE]: storedAuthor(by),
      ...(idempotency ? { idempotencyKey: idempotency.key } : {}),
    };
    const guards = guardSteps(this.tableName, undefined, profile);
    const { codes, error } = await this.transactWithError([
      { Put: { TableName: this.tableName, Item: item, ConditionExpression: notExists } },
      ...guards.map((g) => g.write),
      ...(idempotency
        ? [
            {
              Put: {
                TableName: this.tableName,
                Item: idempotencyItem(idempotency),
                // An expired record (not yet removed by TTL) no longer holds its key.
                ConditionExpression: `${notExists} OR expiresAt <= :now`,
                ExpressionAttributeValues: { ':now': profile.createdAt },
              },
            },
          ]
        : []),
    ]);
    if (!codes) return;
    if (idempotency && codes[1 + guards.length] === 'ConditionalCheckFailed')
      throw new IdempotencyKeyInUse(idempotency.key, { cause: error });
    if (codes[0] === 'ConditionalCheckFailed')
      throw new ProfileAlreadyExists(profile.userId, { cause: error });
    throw guardFailure(guards, codes.slice(1), error) ?? unexpectedCancellation(codes, error);
  }

  async findIdempotencyRecord(key: string, now: Date): Promise<IdempotencyRecord | undefined> {
    const { Item } = await translateTransient(() =>
      this.db.send(
        new GetCommand({
          TableName: this.tableName,
          Key: idempotencyKey(key),
          ConsistentRead: true,
        }),
      ),
    );
    const record = toIdempotencyRecord(key, Item);
    return record && record.expiresAt > now.toISOString() ? record : undefined;
  }

  async update(previous: UserProfile, next: UserProfile, by?: ChangeAuthor): Promise<void> {
    const updateProfile = {
      TableName: this.tableName,
      Key: { userId: previous.userId },
      ...profileUpdate(next, previous.version, by),
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
    };
    const guards = guardSteps(this.tableName, previous, next);
    if (guards.length === 0) {
      try {
        await translateTransient(() => this.db.send(new UpdateCommand(updateProfile)));
        return;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        throw staleOrMissing(previous.userId, error.Item, error);
      }
    }
    // A new address or handle: move the claims in the same transaction as the profile.
    const { codes, error } = await this.transactWithError([
      { Update: updateProfile },
      ...guards.map((g) => g.write),
    ]);
    if (!codes) return;
    if (codes[0] === 'ConditionalCheckFailed') {
      throw staleOrMissing(previous.userId, cancellationItem(error, 0), error);
    }
    const failure = guardFailure(guards, codes.slice(1), error);
    if (failure) throw failure;
    if (codes.includes('ConditionalCheckFailed'))
      throw new VersionConflict(previous.userId, { cause: error });
    throw unexpectedCancellation(codes, error);
  }

  async delete(profile: UserProfile, by?: ChangeAuthor): Promise<void> {
    const mark = deletionMark(this.tableName, profile, by, new Date());
    let marked: Record<string, unknown> | undefined;
    try {
      ({ Attributes: marked } = await translateTransient(() =>
        this.db.send(new UpdateCommand(mark.input)),
      ));
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      throw staleOrMissing(profile.userId, error.Item, error);
    }
    // The record of the create holds the profile as created: it is erased in the same write.
    const key = typeof marked?.idempotencyKey === 'string' ? marked.idempotencyKey : undefined;
    const items = (k: string | undefined) => this.deleteItems(profile, mark.token, k);
    const record = 1 + guardSteps(this.tableName, profile, undefined).length;
    let { codes, error } = await this.transactWithError(items(key));
    if (
      codes &&
      key !== undefined &&
      codes[record] === 'ConditionalCheckFailed' &&
      codes.slice(0, record).every((c) => !c)
    ) {
      // The record expired and its key now belongs to another profile's create: leave it.
      ({ codes, error } = await this.transactWithError(items(undefined)));
    }
    if (!codes) return;
    if (codes[0] === 'ConditionalCheckFailed') {
      throw staleOrMissing(profile.userId, cancellationItem(error, 0), error);
    }
    if (codes.slice(1, record).includes('ConditionalCheckFailed'))
      throw new VersionConflict(profile.userId, { cause: error });
    throw unexpectedCancellation(codes, error);
  }

  private deleteItems(
    profile: UserProfile,
    token: string,
    idempotencyKeyOfCreate: string | undefined,
  ): TransactItems {
    return [
      {
        Delete: {
          TableName: this.tableName,
          Key: { userId: profile.userId },
          // Another deletion that marked the item since is the one to delete it (see deletionMark).
          ConditionExpression: 'version = :expected AND #token = :token',
          ExpressionAttributeNames: { '#token': DELETION_TOKEN_ATTRIBUTE },
          ExpressionAttributeValues: { ':expected': profile.version, ':token': token },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      ...guardSteps(this.tableName, profile, undefined).map((g) => g.write),
      ...(idempotencyKeyOfCreate === undefined
        ? []
        : [
            {
              Delete: {
                TableName: this.tableName,
                Key: idempotencyKey(idempotencyKeyOfCreate),
                ConditionExpression: 'attribute_not_exists(userId) OR #record.#owner = :owner',
                ExpressionAttributeNames: { '#record': 'profile', '#owner': 'userId' },
                ExpressionAttributeValues: { ':owner': profile.userId },
              },
            },
          ]),
    ];
  }

  /**
   * Newest first across all list shards: each shard gives its newest `limit + 1` items older than
   * the cursor, and the merge keeps the newest `limit`. The union of each shard's top `limit`
   * always holds the overall top `limit`, and a `limit + 1`-th item anywhere means more remain.
   *
   * With a filter, a shard evaluates at most `FILTERED_READS_PER_SHARD` items (or `limit + 1`)
   * per request, so a request's work is bounded however rare the matches are. A shard that
   * stopped early has been read down to its last evaluated key; only items at or above the
   * highest such key (the frontier) are certainly in order, so the page ends there: it may be
   * short, even empty, and its cursor continues from the frontier.
   */
  async list({ limit, cursor, active }: PageRequest): Promise<Page> {
    const before = cursor === undefined ? undefined : decodeCursor(cursor);
    const shards = await Promise.all(
      Array.from({ length: T.listShards }, (_, shard) =>
        this.queryShard(String(shard), limit + 1, before, active),
      ),
    );
    const frontier = shards
      .map((s) => s.readDownTo)
      .reduce<string | undefined>(
        (high, key) => (key !== undefined && (high === undefined || key > high) ? key : high),
        undefined,
      );
    const ordered = shards
      .flatMap((s) => s.items)
      .filter((item) => frontier === undefined || item.listKey >= frontier)
      .sort((a, b) => (a.listKey < b.listKey ? 1 : a.listKey > b.listKey ? -1 : 0));
    const page = ordered.slice(0, limit);
    const items = page.map((item) => toProfile(item as unknown as Record<string, unknown>)!);
    const last = page.at(-1);
    if (ordered.length > limit && last) return { items, cursor: encodeCursor(last.listKey) };
    return frontier === undefined ? { items } : { items, cursor: encodeCursor(frontier) };
  }

  /**
   * A shard's newest `wanted` items older than `before` (matching `active` when given), and,
   * when it stopped before its end, the list key down to which it has been read.
   */
  private async queryShard(
    shard: string,
    wanted: number,
    before: string | undefined,
    active: boolean | undefined,
  ): Promise<{ items: ProfileItem[]; readDownTo?: string }> {
    const names: Record<string, string> = { '#s': T.listIndex.partitionKey.name };
    const values: Record<string, unknown> = { ':s': shard };
    let keyCondition = '#s = :s';
    if (before !== undefined) {
      keyCondition += ' AND #k < :before';
      names['#k'] = T.listIndex.sortKey.name;
      values[':before'] = before;
    }
    if (active !== undefined) {
      names['#a'] = 'active';
      values[':active'] = active;
    }
    const budget = active === undefined ? wanted : Math.max(wanted, FILTERED_READS_PER_SHARD);
    const items: ProfileItem[] = [];
    let evaluated = 0;
    let startKey: Record<string, unknown> | undefined;
    // A query page stops at `Limit` evaluated items or 1 MB, and a filter drops some of those:
    // keep reading until this shard has given enough, has no more, or has used its budget.
    do {
      const page = await translateTransient(() =>
        this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: T.listIndex.indexName,
            KeyConditionExpression: keyCondition,
            FilterExpression: active === undefined ? undefined : '#a = :active',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ScanIndexForward: false,
            Limit: active === undefined ? wanted - items.length : budget - evaluated,
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      items.push(...((page.Items ?? []) as ProfileItem[]));
      evaluated += page.ScannedCount ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey && items.length < wanted && evaluated < budget);
    const readDownTo = startKey?.[T.listIndex.sortKey.name];
    return typeof readDownTo === 'string' ? { items, readDownTo } : { items };
  }

  async getSuspensions(userId: string): Promise<SuspensionRecord | undefined> {
    const { Item } = await translateTransient(() =>
      this.db.send(
        new GetCommand({
          TableName: this.tableName,
          Key: suspensionKey(userId),
          ConsistentRead: true,
        }),
      ),
    );
    return toSuspensionRecord(Item);
  }

  async saveSuspensions(
    previous: SuspensionRecord | undefined,
    next: SuspensionRecord,
  ): Promise<void> {
    try {
      await translateTransient(() =>
        this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: suspensionItem(next),
            ...(previous
              ? {
                  ConditionExpression: 'version = :expected',
                  ExpressionAttributeValues: { ':expected': previous.version },
                }
              : { ConditionExpression: 'attribute_not_exists(userId)' }),
          }),
        ),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      throw new VersionConflict(next.userId, { cause: error });
    }
  }

  /** One query of the list index's `SUSPENDED` partition, newest suspension first. */
  async listSuspended({ limit, cursor }: Omit<PageRequest, 'active'>): Promise<SuspensionPage> {
    const before = cursor === undefined ? undefined : decodeCursor(cursor);
    const names: Record<string, string> = { '#s': T.listIndex.partitionKey.name };
    const values: Record<string, unknown> = { ':s': SUSPENDED_SHARD };
    let keyCondition = '#s = :s';
    if (before !== undefined) {
      keyCondition += ' AND #k < :before';
      names['#k'] = T.listIndex.sortKey.name;
      values[':before'] = before;
    }
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await translateTransient(() =>
        this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: T.listIndex.indexName,
            KeyConditionExpression: keyCondition,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ScanIndexForward: false,
            Limit: limit + 1 - items.length,
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey && items.length <= limit);
    const page = items.slice(0, limit);
    const records = page.map((item) => toSuspensionRecord(item)!);
    const last = page.at(-1);
    return items.length > limit && last
      ? { items: records, cursor: encodeCursor(String(last[T.listIndex.sortKey.name])) }
      : { items: records };
  }

  async findByUsername(username: string): Promise<UserProfile | undefined> {
    const guard = await translateTransient(() =>
      this.db.send(
        new GetCommand({
          TableName: this.tableName,
          Key: usernameGuardKey(username),
          ConsistentRead: true,
        }),
      ),
    );
    const ownerId = guard.Item?.ownerId;
    if (typeof ownerId !== 'string') return undefined;
    const profile = await this.get(ownerId);
    return profile?.username?.toLowerCase() === username.toLowerCase() ? profile : undefined;
  }

  async getMany(userIds: readonly string[]): Promise<UserProfile[]> {
    const items = await batchGet(
      this.db,
      this.tableName,
      userIds.map((userId) => ({ userId })),
    );
    return items.map(toProfile).filter((p) => p !== undefined);
  }

  async getSuspensionsOf(userIds: readonly string[]): Promise<SuspensionRecord[]> {
    const items = await batchGet(this.db, this.tableName, userIds.map(suspensionKey));
    return items.map(toSuspensionRecord).filter((r) => r !== undefined);
  }

  /**
   * Runs a transaction; answers the cancellation codes when a condition failed (undefined when it
   * committed). A cancellation caused only by another in-flight transaction on the same items is
   * retried: its outcome is not yet known.
   */
  private async transactWithError(
    items: TransactItems,
  ): Promise<{ codes?: (string | undefined)[]; error?: unknown }> {
    for (let attempt = 1; ; attempt++) {
      try {
        await translateTransient(() =>
          this.db.send(new TransactWriteCommand({ TransactItems: items })),
        );
        return {};
      } catch (error) {
        const codes = cancellationCodes(error);
        if (!codes) throw error;
        const onlyConflicts = codes.every((c) => c === undefined || c === 'TransactionConflict');
        if (!onlyConflicts || attempt >= TRANSACTION_CONFLICT_ATTEMPTS) return { codes, error };
        await sleep(10 * 2 ** attempt * Math.random());
      }
    }
  }
}

/**
 * The fields a change may touch, as an UpdateItem: set when present, removed when absent, only
 * if the stored version is still `expectedVersion` (an absent item fails the condition too).
 */
function profileUpdate(next: UserProfile, expectedVersion: number, by?: ChangeAuthor) {
  const item = { ...toItem(next), [AUTHOR_ATTRIBUTE]: storedAuthor(by) };
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':expected': expectedVersion };
  const set: string[] = [];
  const remove: string[] = [];
  for (const field of CHANGEABLE_ATTRIBUTES) {
    names[`#${field}`] = field;
    const value = item[field];
    if (value === undefined) remove.push(`#${field}`);
    else {
      set.push(`#${field} = :${field}`);
      values[`:${field}`] = value;
    }
  }
  return {
    UpdateExpression: `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
    ConditionExpression: '#version = :expected',
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

// Everything but the key, the type, `createdAt` and the list keys derived from it (immutable),
// and attributes of the adapter's own (`idempotencyKey`), which an update must keep.
const CHANGEABLE_ATTRIBUTES = [
  'email',
  'firstName',
  'lastName',
  'phoneNumber',
  'username',
  'locale',
  'timeZone',
  'metadata',
  'appMetadata',
  'publicMetadata',
  'active',
  'blocked',
  'photo',
  'emailChangedAt',
  'updatedAt',
  'version',
  AUTHOR_ATTRIBUTE,
] as const satisfies readonly (keyof ProfileItem | typeof AUTHOR_ATTRIBUTE)[];

/** The error of the first guard claim whose condition failed, if any. */
function guardFailure(
  guards: readonly GuardStep[],
  codes: readonly (string | undefined)[],
  cause: unknown,
): Error | undefined {
  const failed = guards.find((g, i) => g.taken && codes[i] === 'ConditionalCheckFailed');
  return failed?.taken?.(cause);
}

/** A failed `version = :expected` condition: the item was gone (never an upsert) or had moved on. */
function staleOrMissing(userId: string, oldItem: unknown, cause: unknown): Error {
  return oldItem ? new VersionConflict(userId, { cause }) : new ProfileNotFound(userId, { cause });
}

/** Reasons that say "not now" rather than "no": the caller may retry later. */
const TRANSIENT_REASONS = new Set([
  undefined,
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
]);

function unexpectedCancellation(codes: (string | undefined)[], cause?: unknown): Error {
  if (codes.every((c) => TRANSIENT_REASONS.has(c))) return new StorageUnavailable({ cause });
  return new Error(
    `Transaction cancelled for an unexpected reason: ${codes.map((c) => c ?? 'None').join(', ')}`,
    { cause },
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
