import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import {
  SEARCH_TABLE,
  USER_PROFILE_TABLE as DEF,
  type AttributeType,
} from '@userprofile/adapters-dynamo/table-definition';
import { Construct } from 'constructs';
import type { UserProfileStackConfig } from './config';
import { keptTableProps } from './removal';

const ATTRIBUTE_TYPES: Record<AttributeType, dynamodb.AttributeType> = {
  S: dynamodb.AttributeType.STRING,
  N: dynamodb.AttributeType.NUMBER,
  B: dynamodb.AttributeType.BINARY,
};
const key = (k: { name: string; type: AttributeType }) => ({
  name: k.name,
  type: ATTRIBUTE_TYPES[k.type],
});

/**
 * The profile table, built from the one shared definition in `adapters-dynamo`, with auto scaling
 * on the table and its index when provisioned (the seeds scaled the table only); and the search
 * table beside it (ADR 0025), from its own shared definition.
 */
export class ProfileTable extends Construct {
  public readonly table: dynamodb.Table;
  public readonly listIndexName = DEF.listIndex.indexName;
  /** Every index of the profile table (the list's), for throttle alarms and graphs. */
  public readonly indexNames = [DEF.listIndex.indexName];
  /** The profiles' search items (ADR 0021), in a table of their own without a stream. */
  public readonly searchTable: dynamodb.Table;
  public readonly searchIndexName = SEARCH_TABLE.searchIndex.indexName;

  constructor(scope: Construct, id: string, config: UserProfileStackConfig) {
    super(scope, id);
    const provisioned = config.billingMode === 'provisioned';
    const capacity = provisioned
      ? { readCapacity: config.readCapacity, writeCapacity: config.writeCapacity }
      : {};

    this.table = new dynamodb.Table(this, 'Table', {
      tableName: `UserProfiles-${config.environment}`,
      partitionKey: key(DEF.partitionKey),
      billingMode: provisioned
        ? dynamodb.BillingMode.PROVISIONED
        : dynamodb.BillingMode.PAY_PER_REQUEST,
      ...capacity,
      stream: dynamodb.StreamViewType[DEF.stream],
      timeToLiveAttribute: DEF.timeToLiveAttribute,
      ...keptTableProps(config),
    });
    this.table.addGlobalSecondaryIndex({
      indexName: DEF.listIndex.indexName,
      partitionKey: key(DEF.listIndex.partitionKey),
      sortKey: key(DEF.listIndex.sortKey),
      projectionType: dynamodb.ProjectionType[DEF.listIndex.projection],
      ...capacity,
    });
    this.searchTable = this.searchTableOf(config);

    if (provisioned) {
      const range = { minCapacity: config.minCapacity, maxCapacity: config.maxCapacity };
      const target = { targetUtilizationPercent: 70 };
      this.table.autoScaleReadCapacity(range).scaleOnUtilization(target);
      this.table.autoScaleWriteCapacity(range).scaleOnUtilization(target);
      for (const index of this.indexNames) {
        this.table
          .autoScaleGlobalSecondaryIndexReadCapacity(index, range)
          .scaleOnUtilization(target);
        this.table
          .autoScaleGlobalSecondaryIndexWriteCapacity(index, range)
          .scaleOnUtilization(target);
      }
    }
  }

  /**
   * The search table (ADR 0025): kept, protected, backed up and encrypted as the profile table,
   * but on demand whatever the profile table's billing (its writes come in bursts of up to 33
   * items a profile write, which on-demand capacity takes without sizing), and with no stream, so
   * its writes never reach the change feed's.
   */
  private searchTableOf(config: UserProfileStackConfig): dynamodb.Table {
    const S = SEARCH_TABLE;
    const table = new dynamodb.Table(this, 'SearchTable', {
      tableName: `UserProfileSearch-${config.environment}`,
      partitionKey: key(S.partitionKey),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      ...keptTableProps(config),
    });
    table.addGlobalSecondaryIndex({
      indexName: S.searchIndex.indexName,
      partitionKey: key(S.searchIndex.partitionKey),
      sortKey: key(S.searchIndex.sortKey),
      projectionType: dynamodb.ProjectionType[S.searchIndex.projection],
    });
    return table;
  }
}
