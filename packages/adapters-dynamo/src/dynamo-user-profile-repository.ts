import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import {
  IdempotencyKeyInUse,
  ProfileAlreadyExists,
  VersionConflict,
  type ChangeAuthor,
  type IdempotencyRecord,
  type Page,
  type PageRequest,
  type ProfileWithSuspensions,
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
import { guardSteps, usernameGuardKey } from './guard-items';
import {
  emailGuardKey,
  idempotencyItem,
  idempotencyKey,
  toItem,
  toIdempotencyRecord,
  toProfile,
} from './profile-item';
import { DynamoProfileSearch } from './dynamo-profile-search';
import { searchTableOf, type ProfileTables } from './profile-tables';
import { searchWrites } from './search-items';
import { suspensionKey, toSuspensionRecord } from './suspension-item';
import { listProfiles } from './profile-listing';
import {
  guardFailure,
  profileUpdate,
  sleep,
  staleOrMissing,
  unexpectedCancellation,
} from './write-outcomes';
import { getSuspensions, listSuspended, saveSuspensions } from './suspension-store';

type TransactItems = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>;

export { FILTERED_READS_PER_SHARD } from './profile-listing';

/** A transaction that lost only to another in-flight transaction is retried this many times. */
const TRANSACTION_CONFLICT_ATTEMPTS = 5;

/**
 * `UserProfileRepository` on DynamoDB. Profiles and their guard items live side by side in the
 * profile table, their search items in the search table (ADR 0025); every write is a conditional
 * write or one transaction across both, so no failure leaves half a change.
 */
export class DynamoUserProfileRepository implements UserProfileRepository {
  private readonly tableName: string;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: ProfileTables,
  ) {
    this.tableName = tables.tableName;
  }

  /** The search over these tables' profiles, on the same client. */
  profileSearch(): DynamoProfileSearch {
    return new DynamoProfileSearch(this.db, {
      tableName: this.tableName,
      searchTableName: searchTableOf(this.tables),
    });
  }

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
      // Last, so that the codes of the items above keep their places.
      ...searchWrites(searchTableOf(this.tables), undefined, profile),
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
    const search = searchWrites(searchTableOf(this.tables), previous, next);
    if (guards.length === 0 && search.length === 0) {
      try {
        await translateTransient(() => this.db.send(new UpdateCommand(updateProfile)));
        return;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        throw staleOrMissing(previous.userId, error.Item, error);
      }
    }
    // A new address, handle or name: move the claims and the search items in the same
    // transaction as the profile, so that no search finds it by what it no longer holds.
    const { codes, error } = await this.transactWithError([
      { Update: updateProfile },
      ...guards.map((g) => g.write),
      ...search,
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
    // Before the mark: a process that cannot delete the search items must not start a deletion.
    const search = searchWrites(searchTableOf(this.tables), profile, undefined);
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
    const items = (k: string | undefined) => [
      ...this.deleteItems(profile, mark.token, k),
      ...search,
    ];
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

  list(request: PageRequest): Promise<Page> {
    return listProfiles(this.db, this.tableName, request);
  }

  getSuspensions(userId: string): Promise<SuspensionRecord | undefined> {
    return getSuspensions(this.db, this.tableName, userId);
  }

  /** Both items in one BatchGetItem: a read of one profile is one request (ADR 0014). */
  async getWithSuspensions(userId: string): Promise<ProfileWithSuspensions> {
    const items = await batchGet(this.db, this.tableName, [{ userId }, suspensionKey(userId)]);
    const profile = items.map(toProfile).find((p) => p !== undefined);
    const suspensions = items.map(toSuspensionRecord).find((r) => r !== undefined);
    return { ...(profile && { profile }), ...(suspensions && { suspensions }) };
  }

  saveSuspensions(previous: SuspensionRecord | undefined, next: SuspensionRecord): Promise<void> {
    return saveSuspensions(this.db, this.tableName, previous, next);
  }

  listSuspended(request: Omit<PageRequest, 'active'>): Promise<SuspensionPage> {
    return listSuspended(this.db, this.tableName, request);
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
