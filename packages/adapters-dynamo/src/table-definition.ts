/**
 * The one definition of the profile table: read by the CDK stack, by the local server's table
 * bootstrap and by the tests. Change it here and nowhere else.
 */
export const USER_PROFILE_TABLE = {
  /** Profile items use the profile id; e-mail guard items use `EMAIL#<address>`. */
  partitionKey: { name: 'userId', type: 'S' },
  stream: 'NEW_AND_OLD_IMAGES',
  /** Epoch seconds after which DynamoDB may delete an item (idempotency records only). */
  timeToLiveAttribute: 'ttl',
  /** Newest-first listing, spread over `listShards` partitions so no single one takes every write. */
  listIndex: {
    indexName: 'CreatedAtIndex',
    partitionKey: { name: 'listShard', type: 'S' },
    sortKey: { name: 'listKey', type: 'S' },
    projection: 'ALL',
  },
  /**
   * Number of list shards. Every list page queries all of them; every profile is in one, chosen
   * from its id. Raising it later needs a backfill of `listShard` on existing items.
   */
  listShards: 8,
  /**
   * The item types whose changes are change events (`stream-record-event.ts`): the stream
   * function's event source filter in AWS drops every other record (guards, idempotency records,
   * and the search items a stack deployed before ADR 0025 still holds until the backfill deletes
   * them) before an invocation is paid for.
   */
  eventItemTypes: ['PROFILE', 'SUSPENSION'],
} as const;

/**
 * The one definition of the search table (ADR 0025): the profiles' search items (ADR 0021,
 * `search-items.ts`), written in the same transactions as the profiles, in a table of their own
 * with no stream, so that the ~30 items of a profile write never reach the profile table's stream
 * (the change feed's). Read by the CDK stack, the local server's bootstrap and the tests.
 */
export const SEARCH_TABLE = {
  /** `SEARCH#<profile id>#<field>#<prefix>`: the profile table's key name, for the same items. */
  partitionKey: { name: 'userId', type: 'S' },
  /**
   * One partition per field, prefix and list shard (`<field>#<prefix>#<shard>`), newest first by
   * the profile's list key: every item of the table is in it.
   */
  searchIndex: {
    indexName: 'SearchIndex',
    partitionKey: { name: 'searchKey', type: 'S' },
    sortKey: { name: 'listKey', type: 'S' },
    projection: 'ALL',
  },
} as const;

export type AttributeType = 'S' | 'N' | 'B';
