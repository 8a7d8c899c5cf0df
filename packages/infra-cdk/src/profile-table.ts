import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import {
  USER_PROFILE_TABLE as DEF,
  type AttributeType,
} from '@userprofile/adapters-dynamo/table-definition';
import { Construct } from 'constructs';
import type { UserProfileStackConfig } from './config';
import { keptUnlessDestroyed } from './removal';

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
 * on the table and on every index (the seeds scaled the table only).
 */
export class ProfileTable extends Construct {
  public readonly table: dynamodb.Table;
  public readonly listIndexName = DEF.listIndex.indexName;
  /** Every index of the table (the list's and the search's), for throttle alarms and graphs. */
  public readonly indexNames = [DEF.listIndex.indexName, DEF.searchIndex.indexName];

  constructor(scope: Construct, id: string, config: UserProfileStackConfig) {
    super(scope, id);
    const provisioned = config.billingMode === 'provisioned';
    const capacity = provisioned
      ? { readCapacity: config.readCapacity, writeCapacity: config.writeCapacity }
      : {};
    const retain = config.removalPolicy === 'retain';

    this.table = new dynamodb.Table(this, 'Table', {
      tableName: `UserProfiles-${config.environment}`,
      partitionKey: key(DEF.partitionKey),
      billingMode: provisioned
        ? dynamodb.BillingMode.PROVISIONED
        : dynamodb.BillingMode.PAY_PER_REQUEST,
      ...capacity,
      stream: dynamodb.StreamViewType[DEF.stream],
      timeToLiveAttribute: DEF.timeToLiveAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      removalPolicy: keptUnlessDestroyed(config),
      // Switched on by the deployment after the first (ADR 0015): a first deployment's rollback
      // must be able to delete the table.
      deletionProtection: retain && config.deletionProtection,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: DEF.listIndex.indexName,
      partitionKey: key(DEF.listIndex.partitionKey),
      sortKey: key(DEF.listIndex.sortKey),
      projectionType: dynamodb.ProjectionType[DEF.listIndex.projection],
      ...capacity,
    });
    // Administrators' search (ADR 0021): added beside the list index, never a replacement.
    this.table.addGlobalSecondaryIndex({
      indexName: DEF.searchIndex.indexName,
      partitionKey: key(DEF.searchIndex.partitionKey),
      sortKey: key(DEF.searchIndex.sortKey),
      projectionType: dynamodb.ProjectionType[DEF.searchIndex.projection],
      ...capacity,
    });

    if (provisioned) {
      const range = { minCapacity: config.minCapacity, maxCapacity: config.maxCapacity };
      const target = { targetUtilizationPercent: 70 };
      this.table.autoScaleReadCapacity(range).scaleOnUtilization(target);
      this.table.autoScaleWriteCapacity(range).scaleOnUtilization(target);
      for (const index of [DEF.listIndex.indexName, DEF.searchIndex.indexName]) {
        this.table
          .autoScaleGlobalSecondaryIndexReadCapacity(index, range)
          .scaleOnUtilization(target);
        this.table
          .autoScaleGlobalSecondaryIndexWriteCapacity(index, range)
          .scaleOnUtilization(target);
      }
    }
  }
}
