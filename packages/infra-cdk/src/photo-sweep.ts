import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { notifyingAlarm } from './alarm-topic';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { PHOTO_REFERENCES_ACCESS } from '@userprofile/adapters-dynamo/access';
import { PHOTO_STORE_ACCESS } from '@userprofile/adapters-s3/access';
import { RENDITIONS_PREFIX } from '@userprofile/adapters-s3/keys';
import type { UserProfileStackConfig } from './config';
import { bucketLevelStatement } from './bucket-listing';
import { BUNDLE_OPTIONS, HTTP_PACKAGE, bundlingFor } from './app-bundle';
import { keptUnlessDestroyed } from './removal';

/** What the sweep does to the bucket: list the renditions, delete the orphans. */
const SWEEP_BUCKET_ACCESS = [
  ...PHOTO_STORE_ACCESS.renditionIds,
  ...PHOTO_STORE_ACCESS.deleteRenditions,
];

/**
 * The orphan sweep (`lambda-sweep.ts`): once a day it deletes photo renditions that no profile
 * shows (ADR 0013), with a Scan of the table and a listing of the bucket's `photos/` prefix as
 * its only reads. An error alarms through the environment's topic.
 */
export class PhotoSweep extends Construct {
  public readonly function: NodejsFunction;

  constructor(
    scope: Construct,
    id: string,
    config: UserProfileStackConfig,
    parts: {
      readonly table: dynamodb.ITable;
      readonly photos: { readonly bucket: s3.IBucket; readonly publicUrl: string };
      readonly alarmTopic: sns.ITopic;
    },
  ) {
    super(scope, id);
    const { table, photos } = parts;
    const functionName = `userprofile-${config.environment}-photo-sweep`;
    const logGroup = new logs.LogGroup(this, 'logs', {
      retention: config.logRetentionDays as logs.RetentionDays,
      removalPolicy: keptUnlessDestroyed(config),
    });
    const role = this.sweepRole(functionName, table, photos.bucket, logGroup);
    this.function = new NodejsFunction(this, 'function', {
      functionName,
      entry: join(HTTP_PACKAGE, 'src/lambda-sweep.ts'),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 512,
      // Listing and scanning a million photos takes minutes, not the API's seconds.
      timeout: Duration.minutes(10),
      tracing: lambda.Tracing.ACTIVE,
      role,
      logGroup,
      environment: {
        TABLE_NAME: table.tableName,
        ENVIRONMENT: config.environment,
        LOG_LEVEL: 'info',
        PHOTOS_URL: photos.publicUrl,
        PHOTOS_BUCKET: photos.bucket.bucketName,
        // It serves no request: no token to verify.
        AUTH_MODE: 'none',
      },
      depsLockFilePath: join(HTTP_PACKAGE, '../../pnpm-lock.yaml'),
      bundling: bundlingFor(BUNDLE_OPTIONS['lambda-photos'], () => []),
    });
    new events.Rule(this, 'daily', {
      description: `${functionName}: once a day`,
      schedule: events.Schedule.rate(Duration.days(1)),
      targets: [new targets.LambdaFunction(this.function, { retryAttempts: 2 })],
    });
    this.alarmOnErrors(config, parts.alarmTopic);

    const stack = Stack.of(this);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permission.',
    });
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(photos.bucket.node.defaultChild as never)}.Arn>/${RENDITIONS_PREFIX}*]`,
      reason: `Deletes renditions under ${RENDITIONS_PREFIX} that no profile shows; their keys are random photo ids.`,
    });
  }

  /** Logs, Scan on the table, list and delete renditions: what the sweep declares it does. */
  private sweepRole(
    functionName: string,
    table: dynamodb.ITable,
    bucket: s3.IBucket,
    logGroup: logs.ILogGroup,
  ): iam.Role {
    const role = new iam.Role(this, 'role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${functionName}: logs, traces, Scan on the table, list and delete renditions`,
    });
    logGroup.grantWrite(role);
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: PHOTO_REFERENCES_ACCESS.referencedPhotoIds.map((a) => a.action),
        resources: [table.tableArn],
      }),
    );
    role.addToPolicy(bucketLevelStatement(bucket, SWEEP_BUCKET_ACCESS)!);
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: SWEEP_BUCKET_ACCESS.filter((a) => a.on === 'renditions').map((a) => a.action),
        resources: [bucket.arnForObjects(`${RENDITIONS_PREFIX}*`)],
      }),
    );
    return role;
  }

  private alarmOnErrors(config: UserProfileStackConfig, topic: sns.ITopic): void {
    notifyingAlarm(this, 'errors', topic, {
      alarmName: `userprofile-${config.environment}-photo-sweep-errors`,
      alarmDescription:
        'The daily orphan photo sweep failed; orphan renditions stay until it succeeds.',
      metric: this.function.metricErrors({ period: Duration.days(1) }),
      threshold: 1,
    });
  }
}
