import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { newUserProfile, withSuspension, withoutSuspension } from '@userprofile/domain';
import { SDK_LOGGER_MIDDLEWARE, createDynamoClients } from './dynamo-client';
import { isTransient } from './dynamo-errors';
import { decodeCursor, encodeCursor } from './list-cursor';
import { listShardOf, toItem, toProfile } from './profile-item';
import { suspensionItem, toSuspensionRecord } from './suspension-item';
import { createTableInput } from './table-bootstrap';
import { searchItemsOf, searchPrefix } from './search-items';
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

describe('suspension item', () => {
  const userId = '3f1c2a4e-8d4b-4c3e-9a1f-2b3c4d5e6f70';
  const admin = '3f1c2a4e-8d4b-4c3e-9a1f-2b3c4d5e6f71';
  const at = new Date('2026-01-01T00:00:00.000Z');
  const year = 365 * 24 * 60 * 60;

  it('holds ids, times and the reason, is listed while not lifted, and kept a year after it ends', () => {
    const open = withSuspension(undefined, userId, { reason: 'FRAUD' }, admin, at);
    const item = suspensionItem(open);
    expect(item).toEqual({
      userId: `SUSPENSION#${userId}`,
      itemType: 'SUSPENSION',
      subject: userId,
      history: [{ reason: 'FRAUD', suspendedBy: admin, suspendedAt: at.toISOString() }],
      version: 1,
      listShard: 'SUSPENDED',
      listKey: `${at.toISOString()}#${userId}`,
    });
    expect(toSuspensionRecord(unmarshall(marshall(item)))).toEqual(open);
    const until = '2026-02-01T00:00:00.000Z';
    const ending = withSuspension(undefined, userId, { reason: 'SPAM', until }, admin, at);
    expect(suspensionItem(ending).ttl).toBe(Date.parse(until) / 1000 + year);
    const lifted = withoutSuspension(open, admin, new Date('2026-01-10T00:00:00.000Z'))!;
    expect(suspensionItem(lifted)).toMatchObject({
      ttl: Date.parse('2026-01-10T00:00:00.000Z') / 1000 + year,
    });
    expect(suspensionItem(lifted)).not.toHaveProperty('listShard');
  });

  it('refuses a stored record it cannot read', () => {
    expect(() =>
      toSuspensionRecord({ itemType: 'SUSPENSION', subject: userId, version: 1, history: [{}] }),
    ).toThrow(/no string reason|unknown reason/);
    expect(toSuspensionRecord({ itemType: 'PROFILE' })).toBeUndefined();
  });
});

describe('search items', () => {
  it('cut prefixes by characters, never half of a surrogate pair', () => {
    const profile = newUserProfile(
      { email: 'sam@example.com', firstName: 'Ẃ𑰡', lastName: '𝒜da' },
      { userId: '00000000-0000-4000-8000-000000000001', now: new Date(0) },
    );
    const keys = searchItemsOf(profile).map((item) => item.searchKey);
    // A lone surrogate is a code unit 0xD800-0xDFFF not paired with its neighbour.
    const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
    expect(keys.filter((key) => lone.test(key))).toEqual([]);
    // 'w𑰡' is two characters (three code units): the second prefix holds the whole pair.
    expect(keys).toEqual(expect.arrayContaining(['name#w#1', 'name#w𑰡#1']));
    expect(searchPrefix('𑰡'.repeat(10))).toBe('𑰡'.repeat(8));
  });
});

describe('the DynamoDB clients', () => {
  it("go without the SDK's logger middleware, and keep the storage deadline's", () => {
    const { client, documentClient } = createDynamoClients({ endpoint: 'http://127.0.0.1:9' });
    // A fresh SDK client has it: the name removed is the SDK's own.
    expect(new DynamoDBClient({}).middlewareStack.identify().join()).toContain(
      SDK_LOGGER_MIDDLEWARE,
    );
    for (const stack of [client.middlewareStack, documentClient.middlewareStack]) {
      const names = stack.identify().join();
      expect(names).not.toContain(SDK_LOGGER_MIDDLEWARE);
      expect(names).toContain('storageDeadline');
    }
  });
});
