import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { notifyingAlarm } from './alarm-topic';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { EVENT_STORE_ACCESS } from '@userprofile/adapters-dynamo/event-access';
import { EVENT_TABLE as DEF } from '@userprofile/adapters-dynamo/event-table-definition';
import { USER_PROFILE_TABLE } from '@userprofile/adapters-dynamo/table-definition';
import type { UserProfileStackConfig } from './config';
import { ChangeFeedBus } from './change-feed-bus';
import { FeedApiFunction, type FeedApiParts } from './feed-api-function';
import { BUNDLE_OPTIONS, HTTP_PACKAGE, bundlingFor } from './app-bundle';
import { keptTableProps, keptUnlessDestroyed } from './removal';
import { WebhookDelivery } from './webhook-delivery';

/** What the stream function does to the event table: record events, erase on deletion. */
const STREAM_FUNCTION_ACCESS = [...EVENT_STORE_ACCESS.append, ...EVENT_STORE_ACCESS.eraseHistory];

/** An iterator older than this means the feed lags the table by as much. */
export const ITERATOR_AGE_ALARM_MS = 60_000;

const S = dynamodb.AttributeType.STRING;

/** The profile table whose stream feeds the events, the alarms' topic, and the API to serve on. */
export interface ChangeFeedParts {
  readonly table: dynamodb.ITable;
  readonly alarmTopic: sns.ITopic;
  /** The environment's dashboard, to which the feed's widgets are added; none: no widgets. */
  readonly dashboard?: cloudwatch.Dashboard;
  /** Where to serve the feed, history and webhook routes; none: no routes. */
  readonly api?: Omit<FeedApiParts, 'eventTable' | 'table' | 'alarmTopic'>;
}

/** The stream function's timeout: a batch of 100 records and their webhook deliveries. */
const STREAM_FUNCTION_TIMEOUT = Duration.seconds(60);

/**
 * The change feed in AWS (ADR 0016): the event table, and a Lambda on the profile table's stream
 * running the local reader's code (`lambda-stream.ts`): batch item failures reported, a failing
 * batch bisected, retried, then sent to an SQS queue; an alarm when the iterator grows old. Its
 * events go on the EventBridge bus (`ChangeFeedBus`) and, one message per endpoint, on the webhook
 * queue a function of its own delivers from (`WebhookDelivery`).
 */
export class ChangeFeed extends Construct {
  public readonly eventTable: dynamodb.Table;
  public readonly function: NodejsFunction;
  public readonly failures: sqs.Queue;
  /** The EventBridge bus the stream function puts every event on. */
  public readonly bus: ChangeFeedBus;
  /** The webhook queue and its dispatcher function. */
  public readonly webhooks: WebhookDelivery;
  /** The feed, history and webhook routes' function; none without `parts.api`. */
  public readonly api?: FeedApiFunction;

  constructor(
    scope: Construct,
    id: string,
    config: UserProfileStackConfig,
    parts: ChangeFeedParts,
  ) {
    super(scope, id);
    this.eventTable = this.eventTableOf(config);

    const functionName = `userprofile-${config.environment}-change-feed`;
    const logGroup = new logs.LogGroup(this, 'logs', {
      retention: config.logRetentionDays as logs.RetentionDays,
      removalPolicy: keptUnlessDestroyed(config),
    });
    const role = new iam.Role(this, 'role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${functionName}: logs, traces, the table's stream, ${STREAM_FUNCTION_ACCESS.map((a) => a.action.slice('dynamodb:'.length)).join(', ')} on the event table`,
    });
    logGroup.grantWrite(role);
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: [...new Set(STREAM_FUNCTION_ACCESS.map((a) => a.action))].sort(),
        resources: [this.eventTable.tableArn],
      }),
    );
    this.function = new NodejsFunction(this, 'function', {
      functionName,
      entry: join(HTTP_PACKAGE, 'src/lambda-stream.ts'),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 512,
      timeout: STREAM_FUNCTION_TIMEOUT,
      reservedConcurrentExecutions: config.reservedConcurrency.feed,
      tracing: lambda.Tracing.ACTIVE,
      role,
      logGroup,
      environment: { EVENT_TABLE_NAME: this.eventTable.tableName, LOG_LEVEL: 'info' },
      depsLockFilePath: join(HTTP_PACKAGE, '../../pnpm-lock.yaml'),
      bundling: bundlingFor(BUNDLE_OPTIONS.lambda, () => []),
    });
    this.failures = new sqs.Queue(this, 'failures', {
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
    });
    this.readStream(parts.table);
    this.alarmOnIteratorAge(config, parts.alarmTopic);
    this.alarmOnFailures(config, parts.alarmTopic);
    this.bus = new ChangeFeedBus(this, 'Bus', config, this.function);
    this.webhooks = new WebhookDelivery(this, 'Webhooks', config, {
      eventTable: this.eventTable,
      publisher: this.function,
      alarmTopic: parts.alarmTopic,
    });
    if (parts.api) {
      this.api = new FeedApiFunction(this, 'Api', config, {
        ...parts.api,
        eventTable: this.eventTable,
        table: parts.table,
        alarmTopic: parts.alarmTopic,
      });
    }
    parts.dashboard?.addWidgets(...this.widgets(), ...this.webhooks.widgets());
    Validations.of(this.failures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'It is the stream mapping’s on-failure destination (a dead-letter queue of the stream): what it holds is read by hand, never redriven automatically.',
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray PutTraceSegments and PutTelemetryRecords, and the event source mapping’s dynamodb:ListStreams, support no resource-level permission.',
    });
  }

  /**
   * The table's stream into the function: batch item failures reported, a failing batch bisected,
   * retried, then sent to the failure queue; only the records whose changes are events.
   */
  private readStream(table: dynamodb.ITable): void {
    this.function.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.millis(0),
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 10,
        onFailure: new SqsDlq(this.failures),
        // Only records of the items whose changes are events: a write streams its guards and
        // search items too (about 30 records), which would otherwise fill batches and invocations.
        filters: (['NewImage', 'OldImage'] as const).map((image) =>
          lambda.FilterCriteria.filter({
            dynamodb: {
              [image]: {
                itemType: { S: lambda.FilterRule.or(...USER_PROFILE_TABLE.eventItemTypes) },
              },
            },
          }),
        ),
      }),
    );
  }

  /** The event table (ADR 0016): histories, the feed index, webhook endpoints; TTL 14 days. */
  private eventTableOf(config: UserProfileStackConfig): dynamodb.Table {
    const table = new dynamodb.Table(this, 'Events', {
      tableName: `UserProfileEvents-${config.environment}`,
      partitionKey: { name: DEF.partitionKey.name, type: S },
      sortKey: { name: DEF.sortKey.name, type: S },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: DEF.timeToLiveAttribute,
      // As the profile table (ADR 0015): webhook endpoints and their secrets live here.
      ...keptTableProps(config),
    });
    table.addGlobalSecondaryIndex({
      indexName: DEF.feedIndex.indexName,
      partitionKey: { name: DEF.feedIndex.partitionKey.name, type: S },
      sortKey: { name: DEF.feedIndex.sortKey.name, type: S },
      projectionType: dynamodb.ProjectionType.ALL,
    });
    return table;
  }

  /** The stream function's lag and failures, and the routes' function's traffic. */
  private widgets(): cloudwatch.IWidget[] {
    const period = Duration.minutes(5);
    const fns = [this.function, ...(this.api ? [this.api.function] : [])];
    return [
      new cloudwatch.GraphWidget({
        title: 'Change feed: iterator age (ms, max)',
        left: [this.function.metric('IteratorAge', { statistic: 'Maximum', period })],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Change feed: invocations / errors',
        left: fns.map((f) => f.metricInvocations({ period })),
        right: fns.map((f) => f.metricErrors({ period })),
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Change feed: records sent to the failure queue',
        left: [this.failures.metricApproximateNumberOfMessagesVisible({ period })],
        width: 8,
      }),
    ];
  }

  /**
   * The stream function failing (each failure is a batch read again), running near its timeout (a
   * batch that times out is read again, and again), and records it gave up on (events missing
   * from the feed until someone replays the failure queue's records by hand).
   */
  private alarmOnFailures(config: UserProfileStackConfig, topic: sns.ITopic): void {
    const minute = Duration.minutes(1);
    const alarms: [string, string, cloudwatch.IMetric, number][] = [
      [
        'errors',
        'The change feed function failed on a batch (it reads the batch again).',
        this.function.metricErrors({ period: minute, statistic: 'Sum' }),
        1,
      ],
      [
        'near-timeout',
        `A change feed batch took more than 80 % of the function's ${STREAM_FUNCTION_TIMEOUT.toSeconds()} s timeout.`,
        this.function.metricDuration({ period: minute, statistic: 'Maximum' }),
        STREAM_FUNCTION_TIMEOUT.toMilliseconds() * 0.8,
      ],
      [
        'failures-queued',
        'Stream records the change feed gave up on are in its failure queue: their events are missing until replayed.',
        this.failures.metricApproximateNumberOfMessagesVisible({
          period: minute,
          statistic: 'Maximum',
        }),
        1,
      ],
    ];
    for (const [name, alarmDescription, metric, threshold] of alarms) {
      notifyingAlarm(this, name, topic, {
        alarmName: `userprofile-${config.environment}-change-feed-${name}`,
        alarmDescription,
        metric,
        threshold,
      });
    }
  }

  /** The feed lags the table: its stream's iterator older than a minute for five. */
  private alarmOnIteratorAge(config: UserProfileStackConfig, topic: sns.ITopic): void {
    notifyingAlarm(this, 'iterator-age', topic, {
      alarmName: `userprofile-${config.environment}-change-feed-iterator-age`,
      alarmDescription: 'The change feed lags the table by more than a minute.',
      metric: this.function.metric('IteratorAge', {
        statistic: 'Maximum',
        period: Duration.minutes(1),
      }),
      threshold: ITERATOR_AGE_ALARM_MS,
      evaluationPeriods: 5,
      aboveOnly: true,
    });
  }
}
