import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { notifyingAlarm } from './alarm-topic';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { WEBHOOK_REGISTRY_ACCESS } from '@userprofile/adapters-dynamo/event-access';
import type { ServiceEnvironment } from '@userprofile/adapters-http/environment';
import {
  WEBHOOK_QUEUE_CONSUME_ACCESS,
  WEBHOOK_QUEUE_PUBLISH_ACCESS,
  WEBHOOK_REGISTRY_USE,
} from '@userprofile/adapters-sqs/access';
import { WEBHOOK_FAILING_METRIC } from '@userprofile/adapters-sqs/metric';
import type { UserProfileStackConfig } from './config';
import { BUNDLE_OPTIONS, HTTP_PACKAGE, bundlingFor } from './app-bundle';
import { keptUnlessDestroyed } from './removal';

/**
 * A batch's deliveries: each group's in order, every attempt within the transport's 10 s, so ten
 * messages of one group take 100 s at worst.
 */
const DISPATCHER_TIMEOUT = Duration.seconds(120);
/** Messages a batch holds (a FIFO queue's most). */
const BATCH_SIZE = 10;
/** Instances at most: the receivers are called by as many batches at once. */
export const DISPATCHER_MAX_CONCURRENCY = 5;
/** A delivery waiting this long: a receiver down for an hour, or the dispatcher failing. */
export const OLDEST_DELIVERY_ALARM_SECONDS = 3600;

/** The actions of `methods` of the webhook registry on the event table, sorted, once each. */
const registryActions = (methods: readonly (keyof typeof WEBHOOK_REGISTRY_ACCESS)[]) =>
  [...new Set(methods.flatMap((m) => WEBHOOK_REGISTRY_ACCESS[m].map((a) => a.action)))].sort();

/** What the webhook delivery needs from the change feed. */
export interface WebhookDeliveryParts {
  /** The event table, which holds the webhook registry. */
  readonly eventTable: dynamodb.ITable;
  /** The stream function: it queues the deliveries. */
  readonly publisher: lambda.Function;
  readonly alarmTopic: sns.ITopic;
}

/**
 * Webhook delivery in AWS (ADR 0016): a FIFO queue the stream function sends one message per
 * endpoint and event to, and a function on it delivering each (`lambda-webhooks.ts`), retrying a
 * failed one on the webhook schedule by its visibility, marking an endpoint failing once the
 * schedule has run out. Each role may do what its code declares, on the queue and the registry.
 */
export class WebhookDelivery extends Construct {
  public readonly queue: sqs.Queue;
  public readonly function: NodejsFunction;
  public readonly alarms: cloudwatch.Alarm[] = [];
  /** The stack's environment: the metric's dimension. */
  private readonly environment: string;

  constructor(
    scope: Construct,
    id: string,
    config: UserProfileStackConfig,
    parts: WebhookDeliveryParts,
  ) {
    super(scope, id);
    this.environment = config.environment;
    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: `userprofile-${config.environment}-webhooks.fifo`,
      fifo: true,
      // Deduplication and throughput per group (high-throughput FIFO): a deduplication id
      // names its endpoint and event, so the same id is always in the same group.
      deduplicationScope: sqs.DeduplicationScope.MESSAGE_GROUP,
      fifoThroughputLimit: sqs.FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
      // The schedule takes about 27.6 h; four days leave room for a dispatcher outage.
      retentionPeriod: Duration.days(4),
      // Lambda's advice: six times the function's timeout.
      visibilityTimeout: Duration.seconds(DISPATCHER_TIMEOUT.toSeconds() * 6),
      enforceSSL: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
    });
    this.function = this.dispatcherOf(config, parts);
    new lambda.EventSourceMapping(this, 'Source', {
      target: this.function,
      eventSourceArn: this.queue.queueArn,
      batchSize: BATCH_SIZE,
      reportBatchItemFailures: true,
      maxConcurrency: DISPATCHER_MAX_CONCURRENCY,
    });
    parts.publisher.role!.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [...WEBHOOK_QUEUE_PUBLISH_ACCESS],
        resources: [this.queue.queueArn],
      }),
    );
    parts.publisher.role!.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: registryActions(WEBHOOK_REGISTRY_USE.publisher),
        resources: [parts.eventTable.tableArn],
      }),
    );
    parts.publisher.addEnvironment('WEBHOOK_QUEUE_URL', this.queue.queueUrl);
    this.alarmOn(config, parts.alarmTopic);
    Validations.of(this.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'No dead-letter queue: the dispatcher retries each delivery on the webhook schedule and then drops it, marking the endpoint failing (WebhookFailing alarm); a redrive counting receives would cut the schedule short and let a group’s later events overtake the one moved (ADR 0016).',
    });
  }

  private dispatcherOf(config: UserProfileStackConfig, parts: WebhookDeliveryParts) {
    const functionName = `userprofile-${config.environment}-change-feed-webhooks`;
    const logGroup = new logs.LogGroup(this, 'logs', {
      retention: config.logRetentionDays as logs.RetentionDays,
      removalPolicy: keptUnlessDestroyed(config),
    });
    const onQueue = [
      ...WEBHOOK_QUEUE_CONSUME_ACCESS.eventSource,
      ...WEBHOOK_QUEUE_CONSUME_ACCESS.code,
    ].sort();
    const onTable = registryActions(WEBHOOK_REGISTRY_USE.dispatcher);
    const role = new iam.Role(this, 'role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${functionName}: logs, traces, ${onQueue.join(', ')} on the webhook queue, ${onTable.join(', ')} on the event table`,
    });
    logGroup.grantWrite(role);
    role.addToPolicy(
      new iam.PolicyStatement({ actions: onQueue, resources: [this.queue.queueArn] }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({ actions: onTable, resources: [parts.eventTable.tableArn] }),
    );
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permission.',
    });
    return new NodejsFunction(this, 'function', {
      functionName,
      entry: join(HTTP_PACKAGE, 'src/lambda-webhooks.ts'),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: DISPATCHER_TIMEOUT,
      tracing: lambda.Tracing.ACTIVE,
      role,
      logGroup,
      environment: {
        EVENT_TABLE_NAME: parts.eventTable.tableName,
        WEBHOOK_QUEUE_URL: this.queue.queueUrl,
        ENVIRONMENT: config.environment,
        LOG_LEVEL: 'info',
      } satisfies ServiceEnvironment,
      depsLockFilePath: join(HTTP_PACKAGE, '../../pnpm-lock.yaml'),
      bundling: bundlingFor(BUNDLE_OPTIONS.lambda, () => []),
    });
  }

  /** An endpoint given up on, a delivery waiting over an hour, a batch failed as a whole. */
  private alarmOn(config: UserProfileStackConfig, topic: sns.ITopic): void {
    const minute = Duration.minutes(1);
    const alarms: [string, string, cloudwatch.IMetric, number][] = [
      [
        'failing',
        'A webhook endpoint was marked failing: its deliveries were retried for about 27.6 h; it gets nothing until re-enabled, and catches up from GET /events.',
        this.failingMetric(Duration.minutes(5)),
        1,
      ],
      [
        'oldest',
        'A webhook delivery has waited over an hour: a receiver is down (retrying), or the dispatcher is failing.',
        this.queue.metricApproximateAgeOfOldestMessage({
          period: Duration.minutes(5),
          statistic: 'Maximum',
        }),
        OLDEST_DELIVERY_ALARM_SECONDS,
      ],
      [
        'errors',
        'The webhook function failed on a batch (its messages are delivered again after the visibility timeout).',
        this.function.metricErrors({ period: minute, statistic: 'Sum' }),
        1,
      ],
    ];
    for (const [name, alarmDescription, metric, threshold] of alarms) {
      this.alarms.push(
        notifyingAlarm(this, name, topic, {
          alarmName: `userprofile-${config.environment}-webhooks-${name}`,
          alarmDescription,
          metric,
          threshold,
        }),
      );
    }
  }

  /** The EMF metric the dispatcher writes when it gives an endpoint up. */
  failingMetric(period: Duration): cloudwatch.Metric {
    const { namespace, name, dimension } = WEBHOOK_FAILING_METRIC;
    return new cloudwatch.Metric({
      namespace,
      metricName: name,
      dimensionsMap: { [dimension]: this.environment },
      statistic: 'Sum',
      period,
    });
  }

  /** The queue's backlog and age, deliveries given up, the function's invocations and errors. */
  widgets(): cloudwatch.IWidget[] {
    const period = Duration.minutes(5);
    return [
      new cloudwatch.GraphWidget({
        title: 'Webhooks: oldest delivery waiting (s) / endpoints given up',
        left: [this.queue.metricApproximateAgeOfOldestMessage({ period, statistic: 'Maximum' })],
        right: [this.failingMetric(period)],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Webhooks: invocations / errors',
        left: [this.function.metricInvocations({ period })],
        right: [this.function.metricErrors({ period })],
        width: 8,
      }),
    ];
  }
}
