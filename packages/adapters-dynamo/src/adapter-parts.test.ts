import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { newUserProfile } from '@userprofile/domain';
import { isTransient } from './dynamo-errors';
import { decodeCursor, encodeCursor } from './list-cursor';
import { listShardOf, toItem, toProfile } from './profile-item';
import { createTableInput } from './table-bootstrap';
import { USER_PROFILE_TABLE } from './table-definition';

const profile = newUserProfile(
  { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', metadata: { a: [1] } },
  { userId: '3f1c2a4e-8d4b-4c3e-9a1f-2b3c4d5e6f70', now: new Date('2026-01-02T03:04:05.678Z') },
);

describe('list cursor', () => {
  it('round-trips a list key and hides it from plain sight', () => {
    const key = '2026-01-02T03:04:05.678Z#3f1c2a4e-8d4b-4c3e-9a1f-2b3c4d5e6f70';
    const cursor = encodeCursor(key);
    expect(cursor).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('2026');
    expect(decodeCursor(cursor)).toBe(key);
  });

  it.each(['', 'v1.', 'v1.!!!', 'v1.bnVsbA', `v1.${'A'.repeat(300)}`, 'v1.W10'])(
    'refuses %j',
    (cursor) => {
      expect(() => decodeCursor(cursor)).toThrow(
        expect.objectContaining({ code: 'VALIDATION_FAILED' }),
      );
    },
  );
});

describe('profile item mapping', () => {
  it('maps a profile to an item and back unchanged, through the SDK marshaller', () => {
    const stored = unmarshall(marshall(toItem(profile), { removeUndefinedValues: true }));
    expect(toProfile(stored)).toEqual(profile);
  });

  it('stores metadata keys named like Object.prototype members as map members', () => {
    const tricky = newUserProfile(
      {
        email: 'tricky@example.com',
        firstName: 'T',
        lastName: 'K',
        metadata: { constructor: 1, a: [{ constructor: { name: 'String' } }], b: { valueOf: 0 } },
      },
      { userId: profile.userId, now: new Date(profile.createdAt) },
    );
    const attributes = marshall(toItem(tricky), { removeUndefinedValues: true });
    expect(attributes.metadata).toEqual({
      M: {
        constructor: { N: '1' },
        a: { L: [{ M: { constructor: { M: { name: { S: 'String' } } } } }] },
        b: { M: { valueOf: { N: '0' } } },
      },
    });
    expect(toProfile(unmarshall(attributes))).toEqual(tricky);
  });

  it('puts each profile in one stable list shard', () => {
    expect(listShardOf(profile.userId)).toBe(String(0x6f70 % USER_PROFILE_TABLE.listShards));
  });

  it('reads an e-mail guard or nothing as no profile', () => {
    expect(
      toProfile({ userId: 'EMAIL#a@example.com', itemType: 'EMAIL', ownerId: 'x' }),
    ).toBeUndefined();
    expect(toProfile(undefined)).toBeUndefined();
  });

  it('refuses to read a malformed profile item rather than guess', () => {
    expect(() => toProfile({ ...toItem(profile), version: '2' })).toThrow(/malformed/);
    expect(() => toProfile({ ...toItem(profile), email: 7 })).toThrow(/no string email/);
  });
});

describe('transient failures', () => {
  it.each([
    { name: 'ProvisionedThroughputExceededException' },
    { name: 'ThrottlingException' },
    { name: 'TimeoutError' },
    { name: 'Error', code: 'ECONNREFUSED' },
    { name: 'Error', message: 'AWS SDK error wrapper for Error: connect ECONNRESET 127.0.0.1:1' },
    { name: 'InternalServerError' },
  ])('treats %j as transient', (error) => {
    expect(isTransient(Object.assign(new Error(), error))).toBe(true);
  });

  it.each([
    { name: 'ConditionalCheckFailedException' },
    { name: 'ValidationException' },
    { name: 'TransactionCanceledException' },
  ])('treats %j as final', (error) => {
    expect(isTransient(Object.assign(new Error('x'), error))).toBe(false);
  });
});

describe('table definition', () => {
  it("keeps the seeds' partition key and a sharded newest-first index with a stream", () => {
    const input = createTableInput('t');
    expect(input.KeySchema).toEqual([{ AttributeName: 'userId', KeyType: 'HASH' }]);
    expect(input.GlobalSecondaryIndexes?.[0]).toMatchObject({
      IndexName: 'CreatedAtIndex',
      KeySchema: [
        { AttributeName: 'listShard', KeyType: 'HASH' },
        { AttributeName: 'listKey', KeyType: 'RANGE' },
      ],
    });
    expect(input.StreamSpecification).toEqual({
      StreamEnabled: true,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    });
  });
});
