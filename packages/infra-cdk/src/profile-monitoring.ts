import { Duration, Stack } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { UserProfileStackConfig } from './config';
import { keptUnlessDestroyed } from './removal';
import type { Operation, ProfileFunctions } from './profile-functions';

/** The table operations the service performs; DynamoDB publishes request metrics per operation. */
const TABLE_OPERATIONS = [
  dynamodb.Operation.GET_ITEM,
  dynamodb.Operation.PUT_ITEM,
  dynamodb.Operation.UPDATE_ITEM,
  dynamodb.Operation.DELETE_ITEM,
  dynamodb.Operation.QUERY,
  dynamodb.Operation.TRANSACT_WRITE_ITEMS,
];

/** What is monitored: the table and its index, the functions, the API. */
interface MonitoredParts {
  table: dynamodb.Table;
  listIndexName: string;
  functions: ProfileFunctions;
  api: apigateway.RestApi;
}

const PERIOD = Duration.minutes(5);

/**
 * Alarms that can fire (right metrics, right dimensions), each notifying an SNS topic, and one
 * dashboard of the API, the functions and the table.
 */
export class ProfileMonitoring extends Construct {
  public readonly topic: sns.Topic;
  public readonly alarms: cloudwatch.Alarm[] = [];
  private readonly env: string;

  constructor(scope: Construct, id: string, config: UserProfileStackConfig, parts: MonitoredParts) {
    super(scope, id);
    this.env = config.environment;
    this.topic = this.alarmTopic(config);
    this.tableAlarms(parts);
    this.functionAlarms(parts);
    this.apiAlarms(parts);
    this.dashboard(this.env, parts, PERIOD);
  }

  /** The topic every alarm and its recovery goes to: encrypted, TLS only, and open to this environment's alarms. */
  private alarmTopic(config: UserProfileStackConfig): sns.Topic {
    const env = config.environment;
    // CloudWatch can only publish to an encrypted topic whose key lets it; the AWS-managed SNS key does not.
    const key = new kms.Key(this, 'AlarmTopicKey', {
      enableKeyRotation: true,
      description: `userprofile-${env} alarm topic`,
      removalPolicy: keptUnlessDestroyed(config),
      pendingWindow: Duration.days(7),
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    const topic = new sns.Topic(this, 'AlarmTopic', {
      topicName: `userprofile-${env}-alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    // `enforceSSL` gives the topic a policy, and a topic policy replaces SNS's default one: without
    // this statement no alarm could publish. Only this account's alarms of this environment may.
    const { account, partition, region } = Stack.of(this);
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowThisEnvironmentsAlarms',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: {
            'aws:SourceArn': `arn:${partition}:cloudwatch:${region}:${account}:alarm:userprofile-${env}-*`,
          },
        },
      }),
    );
    if (config.alarmEmail)
      topic.addSubscription(new subscriptions.EmailSubscription(config.alarmEmail));
    return topic;
  }

  /** An alarm that notifies the topic when it fires and when it recovers. */
  private alarm(
    name: string,
    metric: cloudwatch.IMetric,
    threshold: number,
    description: string,
    periods = 1,
  ): cloudwatch.Alarm {
    const a = new cloudwatch.Alarm(this, name, {
      alarmName: `userprofile-${this.env}-${name}`,
      alarmDescription: description,
      metric,
      threshold,
      evaluationPeriods: periods,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    a.addAlarmAction(new actions.SnsAction(this.topic));
    a.addOkAction(new actions.SnsAction(this.topic));
    this.alarms.push(a);
    return a;
  }

  /** DynamoDB: throttles of the table and its index, throttled requests and system errors. */
  private tableAlarms(parts: MonitoredParts): void {
    const { table, listIndexName } = parts;
    const period = PERIOD;
    // DynamoDB: throttle events on the table and its index; throttled requests and system errors,
    // which exist only per operation, summed over the operations the service uses.
    const indexDims = { TableName: table.tableName, GlobalSecondaryIndexName: listIndexName };
    const throttleEvents = (metricName: string) =>
      new cloudwatch.MathExpression({
        // FILL: a series with no data point (an idle index) must not blank the sum.
        expression: 'FILL(table, 0) + FILL(index, 0)',
        period,
        label: metricName,
        usingMetrics: {
          table: table.metric(metricName, { statistic: 'Sum', period }),
          index: new cloudwatch.Metric({
            namespace: 'AWS/DynamoDB',
            metricName,
            dimensionsMap: indexDims,
            statistic: 'Sum',
            period,
          }),
        },
      });
    this.alarm(
      'dynamodb-read-throttles',
      throttleEvents('ReadThrottleEvents'),
      1,
      'Reads of the profile table or its index were throttled.',
    );
    this.alarm(
      'dynamodb-write-throttles',
      throttleEvents('WriteThrottleEvents'),
      1,
      'Writes to the profile table or its index were throttled.',
    );
    // Per-operation metrics, each filled with 0 where it has no data: CDK's own sums leave gaps,
    // and one silent operation would keep the sum, and the alarm, silent.
    const sumOverOperations = (metricName: string) =>
      new cloudwatch.MathExpression({
        expression: TABLE_OPERATIONS.map((_, i) => `FILL(op${i}, 0)`).join(' + '),
        period,
        label: metricName,
        usingMetrics: Object.fromEntries(
          TABLE_OPERATIONS.map((operation, i) => [
            `op${i}`,
            new cloudwatch.Metric({
              namespace: 'AWS/DynamoDB',
              metricName,
              dimensionsMap: { TableName: table.tableName, Operation: operation },
              statistic: 'Sum',
              period,
            }),
          ]),
        ),
      });
    this.alarm(
      'dynamodb-throttled-requests',
      sumOverOperations('ThrottledRequests'),
      1,
      'Requests to the profile table were throttled (any operation).',
    );
    this.alarm(
      'dynamodb-system-errors',
      sumOverOperations('SystemErrors'),
      1,
      'DynamoDB answered requests with 5xx system errors.',
    );
  }

  /** Each function: failed and throttled invocations. */
  private functionAlarms(parts: MonitoredParts): void {
    const { functions } = parts;
    const period = PERIOD;
    for (const [operation, fn] of Object.entries(functions.functions) as [
      Operation,
      ProfileFunctions['functions'][Operation],
    ][]) {
      this.alarm(
        `${operation}-errors`,
        fn.metricErrors({ period, statistic: 'Sum' }),
        1,
        `${fn.node.id}: invocations failed (crash or timeout).`,
      );
      this.alarm(
        `${operation}-throttles`,
        fn.metricThrottles({ period, statistic: 'Sum' }),
        1,
        `${fn.node.id}: invocations were throttled.`,
      );
    }
  }

  /** The API stage: the share of 4xx, 5xx answers and p99 latency. */
  private apiAlarms(parts: MonitoredParts): void {
    const stage = parts.api.deploymentStage;
    const period = PERIOD;
    this.alarm(
      'api-4xx-rate',
      stage.metricClientError({ period, statistic: 'Average' }),
      0.1,
      'More than 10 % of API requests were answered 4xx for 3 periods (client bugs or abuse).',
      3,
    );
    this.alarm(
      'api-5xx',
      stage.metricServerError({ period, statistic: 'Sum' }),
      5,
      'Five or more API requests answered 5xx in 5 minutes.',
    );
    this.alarm(
      'api-latency-p99',
      stage.metricLatency({ period, statistic: 'p99' }),
      2000,
      'API p99 latency is 2 s or more for 3 periods.',
      3,
    );
  }

  private dashboard(
    env: string,
    { table, listIndexName, functions, api }: MonitoredParts,
    period: Duration,
  ): void {
    const stage = api.deploymentStage;
    const fns = Object.values(functions.functions);
    let n = 0;
    const perSecond = (label: string, metric: cloudwatch.Metric) => {
      const id = `consumed${++n}`;
      return new cloudwatch.MathExpression({
        expression: `${id} / PERIOD(${id})`,
        usingMetrics: { [id]: metric },
        label,
        period,
      });
    };
    const capacity = (kind: 'Read' | 'Write', dims: Record<string, string>, label: string) => [
      perSecond(
        `${label} consumed ${kind.toLowerCase()}s/s`,
        new cloudwatch.Metric({
          namespace: 'AWS/DynamoDB',
          metricName: `Consumed${kind}CapacityUnits`,
          dimensionsMap: dims,
          statistic: 'Sum',
          period,
        }),
      ),
      new cloudwatch.Metric({
        namespace: 'AWS/DynamoDB',
        metricName: `Provisioned${kind}CapacityUnits`,
        dimensionsMap: dims,
        statistic: 'Average',
        period,
        label: `${label} provisioned ${kind.toLowerCase()}s`,
      }),
    ];
    const tableDims = { TableName: table.tableName };
    const indexDims = { ...tableDims, GlobalSecondaryIndexName: listIndexName };

    new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `userprofile-${env}`,
      widgets: [
        [
          new cloudwatch.GraphWidget({
            title: 'API requests',
            left: [stage.metricCount({ period, statistic: 'Sum' })],
            width: 6,
          }),
          new cloudwatch.GraphWidget({
            title: 'API 4XX / 5XX',
            left: [
              stage.metricClientError({ period, statistic: 'Sum' }),
              stage.metricServerError({ period, statistic: 'Sum' }),
            ],
            width: 6,
          }),
          new cloudwatch.GraphWidget({
            title: 'API latency p50 / p99 (ms)',
            left: [
              stage.metricLatency({ period, statistic: 'p50' }),
              stage.metricLatency({ period, statistic: 'p99' }),
            ],
            width: 12,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Lambda invocations',
            left: fns.map((f) => f.metricInvocations({ period })),
            width: 6,
          }),
          new cloudwatch.GraphWidget({
            title: 'Lambda errors',
            left: fns.map((f) => f.metricErrors({ period })),
            width: 6,
          }),
          new cloudwatch.GraphWidget({
            title: 'Lambda duration p99 (ms)',
            left: fns.map((f) => f.metricDuration({ period, statistic: 'p99' })),
            width: 6,
          }),
          new cloudwatch.GraphWidget({
            title: 'Lambda throttles and concurrency',
            left: fns.map((f) => f.metricThrottles({ period })),
            right: fns.map((f) =>
              f.metric('ConcurrentExecutions', { period, statistic: 'Maximum' }),
            ),
            width: 6,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Table reads: consumed vs provisioned',
            left: [
              ...capacity('Read', tableDims, 'table'),
              ...capacity('Read', indexDims, 'index'),
            ],
            width: 8,
          }),
          new cloudwatch.GraphWidget({
            title: 'Table writes: consumed vs provisioned',
            left: [
              ...capacity('Write', tableDims, 'table'),
              ...capacity('Write', indexDims, 'index'),
            ],
            width: 8,
          }),
          // Each per-operation sum names its metrics by operation, so each needs its own graph.
          new cloudwatch.GraphWidget({
            title: 'DynamoDB throttled requests',
            left: [
              table.metricThrottledRequestsForOperations({ operations: TABLE_OPERATIONS, period }),
            ],
            width: 4,
          }),
          new cloudwatch.GraphWidget({
            title: 'DynamoDB system errors',
            left: [table.metricSystemErrorsForOperations({ operations: TABLE_OPERATIONS, period })],
            width: 4,
          }),
        ],
      ],
    });
  }
}
