import type { PhotoReferences, ProfileSearch, UserProfileRepository } from '@userprofile/domain';

/** A DynamoDB action as IAM names it. */
export type DynamoAction =
  | 'dynamodb:GetItem'
  | 'dynamodb:BatchGetItem'
  | 'dynamodb:PutItem'
  | 'dynamodb:DeleteItem'
  | 'dynamodb:UpdateItem'
  | 'dynamodb:ConditionCheckItem'
  | 'dynamodb:Query'
  | 'dynamodb:Scan';

/**
 * One action on the profile table itself or its list index (`<table ARN>/index/<name>`), or on
 * the search table (ADR 0025) or its search index.
 */
export interface TableAccess {
  readonly action: DynamoAction;
  readonly on: 'table' | 'listIndex' | 'searchTable' | 'searchIndex';
}

const onTable = (action: DynamoAction): TableAccess => ({ action, on: 'table' });
const onSearchTable = (action: DynamoAction): TableAccess => ({ action, on: 'searchTable' });

/**
 * What each repository method may do to the tables, as IAM sees it: a transaction is no action of
 * its own, each of its items is checked as the single-item action it performs on its table. The CDK stack
 * derives every function's grants from this and from the routes it serves; a test records the
 * commands the repository really sends and fails on any that is not declared here.
 */
export const REPOSITORY_ACCESS: {
  readonly [Method in keyof UserProfileRepository]: readonly TableAccess[];
} = {
  get: [onTable('dynamodb:GetItem')],
  // The e-mail guard item, then the profile it points to.
  findByEmail: [onTable('dynamodb:GetItem')],
  // Profile, e-mail guard and idempotency record: Puts in one transaction, with the Puts of the
  // profile's search items in the search table.
  create: [onTable('dynamodb:PutItem'), onSearchTable('dynamodb:PutItem')],
  findIdempotencyRecord: [onTable('dynamodb:GetItem')],
  // A conditional Update; with a new address, also the old guard's Delete and the new guard's Put;
  // with a new name, address or handle, the Deletes and Puts of the search items that change.
  update: [
    onTable('dynamodb:UpdateItem'),
    onTable('dynamodb:DeleteItem'),
    onTable('dynamodb:PutItem'),
    onSearchTable('dynamodb:DeleteItem'),
    onSearchTable('dynamodb:PutItem'),
  ],
  // The deleter recorded on the profile (which answers its idempotency key), then profile,
  // e-mail guard, the create's record and the search items, deleted in one transaction.
  delete: [
    onTable('dynamodb:UpdateItem'),
    onTable('dynamodb:DeleteItem'),
    onSearchTable('dynamodb:DeleteItem'),
  ],
  // A newest-first query of each list shard of the index.
  list: [{ action: 'dynamodb:Query', on: 'listIndex' }],
  // The subject's suspension record, by key.
  getSuspensions: [onTable('dynamodb:GetItem')],
  // The profile and the subject's suspension record, in one batch.
  getWithSuspensions: [onTable('dynamodb:BatchGetItem')],
  // The whole record, put on the condition of its version.
  saveSuspensions: [onTable('dynamodb:PutItem')],
  // A query of the index's partition of records not lifted.
  listSuspended: [{ action: 'dynamodb:Query', on: 'listIndex' }],
  // The handle's guard item, then the profile it points to.
  findByUsername: [onTable('dynamodb:GetItem')],
  // Profiles by key, 100 to a batch.
  getMany: [onTable('dynamodb:BatchGetItem')],
  // Suspension records by key, 100 to a batch.
  getSuspensionsOf: [onTable('dynamodb:BatchGetItem')],
};

/**
 * What `DynamoProfileSearch` does: queries the search table's index, reads profiles from the
 * profile table (the search items are written by the repository).
 */
export const PROFILE_SEARCH_ACCESS: {
  readonly [Method in keyof ProfileSearch]: readonly TableAccess[];
} = {
  // A newest-first query of the term's prefix in each shard, then the page's profiles by key.
  search: [{ action: 'dynamodb:Query', on: 'searchIndex' }, onTable('dynamodb:BatchGetItem')],
};

/** What `DynamoPhotoReferences` does to the table (the orphan sweep's only table access). */
export const PHOTO_REFERENCES_ACCESS: {
  readonly [Method in keyof PhotoReferences]: readonly TableAccess[];
} = {
  referencedPhotoIds: [onTable('dynamodb:Scan')],
};

/** A request to DynamoDB as IAM authorises it: each action on the resource it names. */
export interface RequestedAccess {
  readonly action: string;
  readonly tableName: string;
  readonly indexName?: string;
}

const TRANSACT_WRITE_ACTIONS: Record<string, DynamoAction> = {
  Put: 'dynamodb:PutItem',
  Delete: 'dynamodb:DeleteItem',
  Update: 'dynamodb:UpdateItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
};

/**
 * The actions a DynamoDB operation asks IAM for, from its name (`GetItem`, or the SDK's
 * `GetCommand`) and its input, in the SDK's or the wire's shape (the same keys): each item of a
 * transaction as its own action, a query of an index on the index.
 */
export function requestedAccess(
  operation: string,
  input: Record<string, unknown>,
): RequestedAccess[] {
  const op = operation.replace(/Command$/, '');
  const name = (o: Record<string, unknown>) => String(o.TableName);
  switch (op) {
    case 'TransactWrite':
    case 'TransactWriteItems':
      return (input.TransactItems as Record<string, Record<string, unknown>>[]).flatMap((item) =>
        Object.entries(item).map(([kind, body]) => ({
          action: TRANSACT_WRITE_ACTIONS[kind] ?? `dynamodb:${kind}`,
          tableName: name(body),
        })),
      );
    case 'TransactGet':
    case 'TransactGetItems':
      return (input.TransactItems as { Get: Record<string, unknown> }[]).map((item) => ({
        action: 'dynamodb:GetItem',
        tableName: name(item.Get),
      }));
    case 'BatchGet':
    case 'BatchWrite':
    case 'BatchGetItem':
    case 'BatchWriteItem':
      return Object.keys(input.RequestItems as object).map((tableName) => ({
        action: `dynamodb:${op.endsWith('Item') ? op : `${op}Item`}`,
        tableName,
      }));
    default: {
      const action = `dynamodb:${{ Get: 'GetItem', Put: 'PutItem', Delete: 'DeleteItem', Update: 'UpdateItem' }[op] ?? op}`;
      const indexName = typeof input.IndexName === 'string' ? input.IndexName : undefined;
      return [{ action, tableName: name(input), ...(indexName ? { indexName } : {}) }];
    }
  }
}
