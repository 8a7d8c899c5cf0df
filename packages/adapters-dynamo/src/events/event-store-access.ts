import type { ChangeEventStore, WebhookRegistry } from '@userprofile/domain';
import type { DynamoAction } from '../repository-access';

/** One action on the event table, or on its feed index. */
export interface EventTableAccess {
  readonly action: DynamoAction;
  readonly on: 'table' | 'feedIndex';
}

/**
 * What each `DynamoChangeEventStore` method does to the event table, as IAM sees it: the stream
 * function's and the feed routes' grants derive from it (as the profile functions' do from
 * `REPOSITORY_ACCESS`).
 */
export const EVENT_STORE_ACCESS: {
  readonly [Method in keyof ChangeEventStore]: readonly EventTableAccess[];
} = {
  // A conditional put, keyed by the event.
  append: [{ action: 'dynamodb:PutItem', on: 'table' }],
  // A query of the profile's history, then a delete of each event.
  eraseHistory: [
    { action: 'dynamodb:Query', on: 'table' },
    { action: 'dynamodb:DeleteItem', on: 'table' },
  ],
  feed: [{ action: 'dynamodb:Query', on: 'feedIndex' }],
  history: [{ action: 'dynamodb:Query', on: 'table' }],
};

/**
 * What each `DynamoWebhookRegistry` method does to the event table (its `WEBHOOK` partition): the
 * webhook administration routes' grants derive from it.
 */
export const WEBHOOK_REGISTRY_ACCESS: {
  readonly [Method in keyof WebhookRegistry]: readonly EventTableAccess[];
} = {
  // A consistent query of the one partition.
  list: [{ action: 'dynamodb:Query', on: 'table' }],
  get: [{ action: 'dynamodb:GetItem', on: 'table' }],
  put: [{ action: 'dynamodb:PutItem', on: 'table' }],
  delete: [{ action: 'dynamodb:DeleteItem', on: 'table' }],
};
