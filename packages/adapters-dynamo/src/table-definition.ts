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
   * Administrators' search (ADR 0021): one item per prefix of each normalised term of a profile
   * (`search-items.ts`), partitioned by field, prefix and the profile's list shard, newest first.
   * Profiles and guards have no `searchKey`, so only those items are in it (a sparse index).
   */
  searchIndex: {
    indexName: 'SearchIndex',
    partitionKey: { name: 'searchKey', type: 'S' },
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
   * search items: most of a write's records) before an invocation is paid for.
   */
  eventItemTypes: ['PROFILE', 'SUSPENSION'],
} as const;

export type AttributeType = 'S' | 'N' | 'B';
