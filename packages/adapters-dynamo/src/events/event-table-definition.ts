import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The one definition of the change-event table (the feed and every profile's history), read by
 * the CDK stack, the local server's bootstrap and the tests. A table of its own: its writes must
 * not flow back into the profile table's stream that feeds it.
 */
export const EVENT_TABLE = {
  /** `PROFILE#<profileId>` for events; `CHECKPOINT#<stream>` for a local reader's positions. */
  partitionKey: { name: 'pk', type: 'S' },
  /** `<time>#<version, 10 digits>#<event id>`: a profile's history in the order of its changes. */
  sortKey: { name: 'sk', type: 'S' },
  timeToLiveAttribute: 'ttl',
  /** Every event in the order it was recorded, for readers of the feed with a cursor. */
  feedIndex: {
    indexName: 'FeedIndex',
    partitionKey: { name: 'feedPartition', type: 'S' },
    sortKey: { name: 'feedKey', type: 'S' },
    projection: 'ALL',
  },
  /** The feed's one partition (see docs/data-model.md for its ceiling). */
  feedPartition: 'FEED',
  /** How long an event is kept: the window in which a reader of the feed can catch up. */
  retentionDays: 14,
} as const;

/** The event table as a CreateTable request (on-demand billing). */
export function createEventTableInput(tableName: string): CreateTableCommandInput {
  const T = EVENT_TABLE;
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      T.partitionKey,
      T.sortKey,
      T.feedIndex.partitionKey,
      T.feedIndex.sortKey,
    ].map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
    KeySchema: [
      { AttributeName: T.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: T.sortKey.name, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: T.feedIndex.indexName,
        KeySchema: [
          { AttributeName: T.feedIndex.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: T.feedIndex.sortKey.name, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: T.feedIndex.projection },
      },
    ],
  };
}
