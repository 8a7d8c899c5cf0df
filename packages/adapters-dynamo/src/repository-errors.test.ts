import {
  ConditionalCheckFailedException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import {
  EmailAlreadyTaken,
  IdempotencyKeyInUse,
  ProfileAlreadyExists,
  ProfileNotFound,
  StorageUnavailable,
  VersionConflict,
  applyUpdate,
  newUserProfile,
} from '@userprofile/domain';
import { testUserId } from '@userprofile/domain/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { createDynamoClients } from './dynamo-client';
import { DynamoUserProfileRepository } from './dynamo-user-profile-repository';
import { toItem } from './profile-item';
import { searchItemsOf } from './search-items';

/**
 * The repository's answers to what DynamoDB Local cannot be made to say on demand: each
 * cancellation reason of a transaction, lost transaction races, throttling and malformed items.
 * Every translated error keeps the SDK's error as its `cause`.
 */
const { documentClient } = createDynamoClients({ endpoint: 'http://127.0.0.1:9' });
const db = mockClient(documentClient as DynamoDBDocumentClient);
const repo = new DynamoUserProfileRepository(documentClient, {
  tableName: 'table',
  searchTableName: 'search',
});
beforeEach(() => db.reset());

const at = new Date('2026-01-01T00:00:00.000Z');
const ada = newUserProfile(
  { email: 'ada@example.com', firstName: 'Ada', lastName: 'L' },
  { userId: testUserId(1), now: at },
);
const record = { key: 'k', fingerprint: 'f', profile: ada, expiresAt: '2026-01-02T00:00:00.000Z' };

/** A cancelled transaction with these reason codes, in item order (undefined: 'None'). */
const cancelled = (...codes: (string | undefined)[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code: Code ?? 'None' })),
  });
const throttled = () =>
  Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $retryable: {} });

async function failure(promise: Promise<unknown>): Promise<Error & { cause?: unknown }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { cause?: unknown };
  }
  throw new Error('expected a failure');
}

describe('create', () => {
  it.each<[string, (string | undefined)[], new (...args: never[]) => Error]>([
    ['the id in use', ['ConditionalCheckFailed', undefined], ProfileAlreadyExists],
    ['the e-mail claimed', [undefined, 'ConditionalCheckFailed'], EmailAlreadyTaken],
    ['the key recorded', [undefined, undefined, 'ConditionalCheckFailed'], IdempotencyKeyInUse],
    ['only throttling', ['ThrottlingError', undefined, undefined], StorageUnavailable],
  ])(
    'answers a cancellation for %s with its error, caused by the SDK error',
    async (_l, codes, type) => {
      const sdkError = cancelled(...codes);
      db.on(TransactWriteCommand).rejects(sdkError);
      const error = await failure(repo.create(ada, record));
      expect(error).toBeInstanceOf(type);
      expect(error.cause).toBe(sdkError);
    },
  );

  it('reports a cancellation for a reason it does not know as a bug, with its cause', async () => {
    const sdkError = cancelled('ValidationError', undefined);
    db.on(TransactWriteCommand).rejects(sdkError);
    const error = await failure(repo.create(ada));
    expect(error.message).toMatch(/unexpected reason: ValidationError, None/);
    expect(error).not.toBeInstanceOf(StorageUnavailable);
    expect(error.cause).toBe(sdkError);
  });

  it('retries a transaction that lost only to another one in flight, with backoff', async () => {
    db.on(TransactWriteCommand)
      .rejectsOnce(cancelled('TransactionConflict', undefined))
      .rejectsOnce(cancelled(undefined, 'TransactionConflict'))
      .resolves({});
    await repo.create(ada);
    expect(db.commandCalls(TransactWriteCommand)).toHaveLength(3);
  });

  it('gives up after five lost races with StorageUnavailable (retry later), caused by the last', async () => {
    const sdkError = cancelled('TransactionConflict', undefined);
    db.on(TransactWriteCommand).rejects(sdkError);
    const error = await failure(repo.create(ada));
    expect(error).toBeInstanceOf(StorageUnavailable);
    expect(error.cause).toBe(sdkError);
    expect(db.commandCalls(TransactWriteCommand)).toHaveLength(5);
  });

  it('does not retry a race lost together with a failed condition', async () => {
    db.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'TransactionConflict'));
    expect(await failure(repo.create(ada))).toBeInstanceOf(ProfileAlreadyExists);
    expect(db.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });
});

describe('update', () => {
  // A change that moves no claim and no search item: one conditional UpdateItem.
  const renamed = applyUpdate(ada, { phoneNumber: '+14155550123' }, at);
  const moved = applyUpdate(ada, { email: 'new@example.com' }, at);
  const conditionFailed = (item?: object) =>
    new ConditionalCheckFailedException({
      message: 'The conditional request failed',
      $metadata: {},
      ...(item ? { Item: marshall(item, { removeUndefinedValues: true }) } : {}),
    });

  it('tells a stale version (the old item came back) from a missing profile (none did)', async () => {
    db.on(UpdateCommand)
      .rejectsOnce(conditionFailed(toItem(ada)))
      .rejectsOnce(conditionFailed());
    const stale = await failure(repo.update(ada, renamed));
    expect(stale).toBeInstanceOf(VersionConflict);
    expect(stale.cause).toBeInstanceOf(ConditionalCheckFailedException);
    expect(await failure(repo.update(ada, renamed))).toBeInstanceOf(ProfileNotFound);
  });

  it('answers throttling as StorageUnavailable and rethrows anything else as it is', async () => {
    const refused = Object.assign(new Error('One or more parameter values were invalid'), {
      name: 'ValidationException',
    });
    db.on(UpdateCommand).rejectsOnce(throttled()).rejectsOnce(refused);
    expect(await failure(repo.update(ada, renamed))).toBeInstanceOf(StorageUnavailable);
    expect(await failure(repo.update(ada, renamed))).toBe(refused);
  });

  it.each<[string, (string | undefined)[], new (...args: never[]) => Error]>([
    ['a profile gone', ['ConditionalCheckFailed', undefined, undefined], ProfileNotFound],
    [
      'the old claim gone to another',
      [undefined, 'ConditionalCheckFailed', undefined],
      VersionConflict,
    ],
    ['the new address taken', [undefined, undefined, 'ConditionalCheckFailed'], EmailAlreadyTaken],
  ])('moving the e-mail, answers %s with its error and cause', async (_l, codes, type) => {
    const sdkError = cancelled(...codes);
    db.on(TransactWriteCommand).rejects(sdkError);
    const error = await failure(repo.update(ada, moved));
    expect(error).toBeInstanceOf(type);
    expect(error.cause).toBe(sdkError);
  });
});

describe('delete', () => {
  const conditionFailed = (item?: object) =>
    new ConditionalCheckFailedException({
      message: 'The conditional request failed',
      $metadata: {},
      ...(item ? { Item: marshall(item, { removeUndefinedValues: true }) } : {}),
    });

  it('records the deleter first, and deletes only under the token of that record', async () => {
    db.on(UpdateCommand).resolves({ Attributes: toItem(ada) });
    db.on(TransactWriteCommand).resolves({});
    await repo.delete(ada, { kind: 'admin', id: 'op-1' });
    const mark = db.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(mark.ExpressionAttributeValues).toMatchObject({
      ':by': { kind: 'admin', id: 'op-1' },
      ':expected': ada.version,
    });
    const [profileDelete] = db.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(profileDelete!.Delete!.ExpressionAttributeValues![':token']).toBe(
      mark.ExpressionAttributeValues![':token'],
    );
  });

  it('answers a record refused as a stale version or a missing profile, deleting nothing', async () => {
    db.on(UpdateCommand)
      .rejectsOnce(conditionFailed(toItem(ada)))
      .rejectsOnce(conditionFailed());
    expect(await failure(repo.delete(ada))).toBeInstanceOf(VersionConflict);
    expect(await failure(repo.delete(ada))).toBeInstanceOf(ProfileNotFound);
    expect(db.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it("erases the create's record, and leaves it when its key now belongs to another profile", async () => {
    db.on(UpdateCommand).resolves({ Attributes: { ...toItem(ada), idempotencyKey: 'k' } });
    db.on(TransactWriteCommand)
      .rejectsOnce(cancelled(undefined, undefined, 'ConditionalCheckFailed'))
      .resolves({});
    await repo.delete(ada);
    const [first, second] = db.commandCalls(TransactWriteCommand);
    // Profile, e-mail claim, the record, then the profile's search items; again without the record.
    const search = searchItemsOf(ada).length;
    expect(first!.args[0].input.TransactItems).toHaveLength(3 + search);
    expect(second!.args[0].input.TransactItems).toHaveLength(2 + search);
  });

  it('answers a stale version and a lost guard as VersionConflict, with the cause', async () => {
    db.on(UpdateCommand).resolves({ Attributes: toItem(ada) });
    const sdkError = cancelled(undefined, 'ConditionalCheckFailed');
    db.on(TransactWriteCommand).rejects(sdkError);
    const error = await failure(repo.delete(ada));
    expect(error).toBeInstanceOf(VersionConflict);
    expect(error.cause).toBe(sdkError);
  });
});

describe('the search table (ADR 0025)', () => {
  it("takes the search items in the profile's transaction; the profile and guards stay in the profile table", async () => {
    db.on(TransactWriteCommand).resolves({});
    await repo.create(ada);
    const [call] = db.commandCalls(TransactWriteCommand);
    const tables = (call!.args[0].input.TransactItems ?? []).map(
      (item) => (Object.values(item)[0] as { TableName: string }).TableName,
    );
    expect(tables).toEqual(['table', 'table', ...searchItemsOf(ada).map(() => 'search')]);
  });

  it('refuses to write a profile without one, sending nothing', async () => {
    const without = new DynamoUserProfileRepository(documentClient, { tableName: 'table' });
    const moved = applyUpdate(ada, { email: 'new@example.com' }, at);
    for (const run of [
      () => without.create(ada),
      () => without.update(ada, moved),
      () => without.delete(ada),
      () => without.profileSearch(),
    ]) {
      await expect(async () => run()).rejects.toThrow(/No search table \(SEARCH_TABLE_NAME\)/);
    }
    expect(db.calls()).toHaveLength(0);
  });
});

describe('a cancellation for a reason no path expects', () => {
  it('is reported as a bug with its cause, on update and on delete', async () => {
    const sdkError = cancelled('ValidationError', undefined, undefined);
    db.on(TransactWriteCommand).rejects(sdkError);
    db.on(UpdateCommand).resolves({ Attributes: toItem(ada) });
    const moved = applyUpdate(ada, { email: 'new@example.com' }, at);
    for (const run of [() => repo.update(ada, moved), () => repo.delete(ada)]) {
      const error = await failure(run());
      expect(error.message).toMatch(/unexpected reason: ValidationError/);
      expect(error.cause).toBe(sdkError);
    }
  });
});

describe('reads', () => {
  it('refuse a stored item that is not a profile as a bug, and answer throttling as unavailable', async () => {
    db.on(GetCommand)
      .resolvesOnce({ Item: { ...toItem(ada), version: 'two' } })
      .rejectsOnce(throttled());
    expect((await failure(repo.get(ada.userId))).message).toMatch(/malformed/);
    expect(await failure(repo.get(ada.userId))).toBeInstanceOf(StorageUnavailable);
  });
});
