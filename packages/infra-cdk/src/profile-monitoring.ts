import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { alarmTopic } from './alarm-topic';
import type { UserProfileStackConfig } from './config';
import { monitoredTables, type MonitoredParts } from './monitored-parts';
import { profileDashboard } from './profile-dashboard';
import type { Operation, ProfileFunctions } from './profile-functions';

const PERIOD = Duration.minutes(5);

/** How close to its timeout a function's slowest invocation may come before it alarms. */
export const DURATION_ALARM_SHARE = 0.8;
/** The share of the account's concurrency whose use alarms. */
export const CONCURRENCY_ALARM_SHARE = 0.8;
/** The share of requests answered 5xx that alarms, once there are enough to tell. */
export const SERVER_ERROR_RATE = 0.01;
const SERVER_ERROR_MIN_REQUESTS = 20;
/** Requests the firewall blocks in 5 minutes before it alarms (attack, or false positives). */
export const WAF_BLOCKED_ALARM = 100;

interface AlarmOptions {
  periods?: number;
  below?: boolean;
  /** Missing data counts as breaching (the API's count: no data is no traffic). */
  missingBreaches?: boolean;
}

/**
 * Alarms that can fire (right metrics, right dimensions), each notifying an SNS topic that someone
 * receives, and one dashboard of the API, the functions and the table.
 */
export class ProfileMonitoring extends Construct {
  public readonly topic: sns.Topic;
  public readonly alarms: cloudwatch.Alarm[] = [];
  public readonly dashboard: cloudwatch.Dashboard;
  private readonly env: string;

  constructor(scope: Construct, id: string, config: UserProfileStackConfig, parts: MonitoredParts) {
    super(scope, id);
    this.env = config.environment;
    this.topic = alarmTopic(this, config);
    this.tableAlarms(parts);
    this.functionAlarms(parts, config);
    this.apiAlarms(parts);
    this.topicAlarms();
    this.dashboard = profileDashboard(this, this.env, parts, PERIOD);
  }

  /** An alarm that notifies the topic when it fires and when it recovers. */
  private alarm(
    name: string,
    metric: cloudwatch.IMetric,
    threshold: number,
    description: string,
    options: AlarmOptions = {},
  ): cloudwatch.Alarm {
    const a = new cloudwatch.Alarm(this, name, {
      alarmName: `userprofile-${this.env}-${name}`,
      alarmDescription: description,
      metric,
      threshold,
      evaluationPeriods: options.periods ?? 1,
      comparisonOperator: options.below
        ? cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD
        : cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: options.missingBreaches
        ? cloudwatch.TreatMissingData.BREACHING
        : cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    a.addAlarmAction(new actions.SnsAction(this.topic));
    a.addOkAction(new actions.SnsAction(this.topic));
    this.alarms.push(a);
    return a;
  }

  /** DynamoDB: throttles of the tables and their indexes, throttled requests and system errors. */
  private tableAlarms(parts: MonitoredParts): void {
    const period = PERIOD;
    const tables = monitoredTables(parts);
    const metric = (metricName: string, dimensionsMap: Record<string, string>) =>
      new cloudwatch.Metric({
        namespace: 'AWS/DynamoDB',
        metricName,
        dimensionsMap,
        statistic: 'Sum',
        period,
      });
    // Metric math over the given metrics, each filled with 0 where it has no data: an idle index
    // or a silent operation must not blank the sum (CDK's own sums leave such gaps).
    const sum = (label: string, metrics: cloudwatch.IMetric[]) =>
      new cloudwatch.MathExpression({
        expression: metrics.map((_, i) => `FILL(m${i}, 0)`).join(' + '),
        period,
        label,
        usingMetrics: Object.fromEntries(metrics.map((m, i) => [`m${i}`, m])),
      });
    // Throttle events on each table and each index (a throttled search table or index holds back
    // the profile writes whose transactions carry its items).
    const throttleEvents = (metricName: string) =>
      sum(
        metricName,
        tables.flatMap(({ table, indexNames }) => [
          table.metric(metricName, { statistic: 'Sum', period }),
          ...indexNames.map((indexName) =>
            metric(metricName, { TableName: table.tableName, GlobalSecondaryIndexName: indexName }),
          ),
        ]),
      );
    this.alarm(
      'dynamodb-read-throttles',
      throttleEvents('ReadThrottleEvents'),
      1,
      'Reads of the profile or search table or one of their indexes were throttled.',
    );
    this.alarm(
      'dynamodb-write-throttles',
      throttleEvents('WriteThrottleEvents'),
      1,
      'Writes to the profile or search table or one of their indexes (the search index too) were throttled.',
    );
    // Throttled requests and system errors exist only per table and operation: summed over the
    // operations the service performs on each table.
    const sumOverOperations = (metricName: string) =>
      sum(
        metricName,
        tables.flatMap(({ table, operations }) =>
          operations.map((operation) =>
            metric(metricName, { TableName: table.tableName, Operation: operation }),
          ),
        ),
      );
    this.alarm(
      'dynamodb-throttled-requests',
      sumOverOperations('ThrottledRequests'),
      1,
      'Requests to the profile or search table were throttled (any operation).',
    );
    this.alarm(
      'dynamodb-system-errors',
      sumOverOperations('SystemErrors'),
      1,
      'DynamoDB answered requests with 5xx system errors.',
    );
  }

  /**
   * Each function: failed and throttled invocations, its slowest invocation near its timeout;
   * and the account's concurrency near its quota, which every function in the region shares.
   */
  private functionAlarms(parts: MonitoredParts, config: UserProfileStackConfig): void {
    const period = PERIOD;
    for (const [operation, fn] of Object.entries(parts.functions.functions) as [
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
        `${fn.node.id}: invocations were throttled (its reserved concurrency is used up).`,
      );
      const timeoutMs = fn.timeout!.toMilliseconds();
      this.alarm(
        `${operation}-duration-near-timeout`,
        fn.metricDuration({ period, statistic: 'Maximum' }),
        Math.round(timeoutMs * DURATION_ALARM_SHARE),
        `${fn.node.id}: an invocation took ${DURATION_ALARM_SHARE * 100} % or more of its ${timeoutMs / 1000} s timeout.`,
      );
    }
    const quota = config.accountConcurrency;
    this.alarm(
      'account-concurrency',
      new cloudwatch.Metric({
        namespace: 'AWS/Lambda',
        metricName: 'ConcurrentExecutions',
        statistic: 'Maximum',
        period,
      }),
      Math.round(quota * CONCURRENCY_ALARM_SHARE),
      `The account's functions in this region used ${CONCURRENCY_ALARM_SHARE * 100} % of its ${quota} concurrent executions (accountConcurrency).`,
    );
  }

  /** The API stage: 4xx share, 5xx share (metric math), p99 latency, traffic gone; its firewall. */
  private apiAlarms(parts: MonitoredParts): void {
    const stage = parts.api.deploymentStage;
    const period = PERIOD;
    this.alarm(
      'api-4xx-rate',
      stage.metricClientError({ period, statistic: 'Average' }),
      0.1,
      'More than 10 % of API requests were answered 4xx for 3 periods (client bugs or abuse).',
      { periods: 3 },
    );
    this.alarm(
      'api-5xx-rate',
      new cloudwatch.MathExpression({
        // A handful of requests says nothing: below the minimum, the share is taken as 0.
        expression: `IF(FILL(requests, 0) >= ${SERVER_ERROR_MIN_REQUESTS}, FILL(errors, 0) / requests, 0)`,
        period,
        label: '5xx share of requests',
        usingMetrics: {
          requests: stage.metricCount({ period, statistic: 'Sum' }),
          errors: stage.metricServerError({ period, statistic: 'Sum' }),
        },
      }),
      SERVER_ERROR_RATE,
      `${SERVER_ERROR_RATE * 100} % or more of API requests answered 5xx in 5 minutes (at least ${SERVER_ERROR_MIN_REQUESTS} requests).`,
    );
    this.alarm(
      'api-latency-p99',
      stage.metricLatency({ period, statistic: 'p99' }),
      2000,
      'API p99 latency is 2 s or more for 3 periods.',
      { periods: 3 },
    );
    this.alarm(
      'api-no-requests',
      stage.metricCount({ period, statistic: 'Sum' }),
      1,
      'The API received no request for 30 minutes: DNS, certificate, firewall or client outage (an idle environment says so too).',
      { periods: 6, below: true, missingBreaches: true },
    );
    if (parts.webAcl) {
      this.alarm(
        'waf-blocked',
        new cloudwatch.Metric({
          namespace: 'AWS/WAFV2',
          metricName: 'BlockedRequests',
          dimensionsMap: { WebACL: parts.webAcl.name!, Region: Stack.of(this).region, Rule: 'ALL' },
          statistic: 'Sum',
          period,
        }),
        WAF_BLOCKED_ALARM,
        `The firewall blocked ${WAF_BLOCKED_ALARM} or more requests in 5 minutes: an attack, or rules refusing real users.`,
      );
    }
  }

  /** The alarm topic itself: deliveries that failed (an HTTPS endpoint down, a bounced address). */
  private topicAlarms(): void {
    this.alarm(
      'alarm-delivery-failures',
      this.topic.metricNumberOfNotificationsFailed({ period: PERIOD, statistic: 'Sum' }),
      1,
      'Alarm notifications could not be delivered to a subscriber; the others still get this one.',
    );
  }
}
