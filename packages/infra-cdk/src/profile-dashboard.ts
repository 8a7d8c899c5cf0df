import { Stack, type Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { TABLE_OPERATIONS, type MonitoredParts } from './monitored-parts';

/**
 * One dashboard of the API, the functions and the table, named per environment and region:
 * dashboard names are global to the account, so the same environment in two regions would collide.
 */
export function profileDashboard(
  scope: Construct,
  env: string,
  parts: MonitoredParts,
  period: Duration,
): cloudwatch.Dashboard {
  const stage = parts.api.deploymentStage;
  const fns = Object.values(parts.functions.functions);
  return new cloudwatch.Dashboard(scope, 'Dashboard', {
    dashboardName: `userprofile-${env}-${Stack.of(scope).region}`,
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
          right: fns.map((f) => f.metric('ConcurrentExecutions', { period, statistic: 'Maximum' })),
          width: 6,
        }),
      ],
      tableRow(parts, period),
    ],
  });
}

/** DynamoDB: consumed against provisioned capacity, throttled requests, system errors. */
function tableRow({ table, indexNames }: MonitoredParts, period: Duration): cloudwatch.IWidget[] {
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
  const perIndex = (kind: 'Read' | 'Write') =>
    indexNames.flatMap((indexName) =>
      capacity(kind, { ...tableDims, GlobalSecondaryIndexName: indexName }, indexName),
    );

  return [
    new cloudwatch.GraphWidget({
      title: 'Table reads: consumed vs provisioned',
      left: [...capacity('Read', tableDims, 'table'), ...perIndex('Read')],
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: 'Table writes: consumed vs provisioned',
      left: [...capacity('Write', tableDims, 'table'), ...perIndex('Write')],
      width: 8,
    }),
    // Each per-operation sum names its metrics by operation, so each needs its own graph.
    new cloudwatch.GraphWidget({
      title: 'DynamoDB throttled requests',
      left: [table.metricThrottledRequestsForOperations({ operations: TABLE_OPERATIONS, period })],
      width: 4,
    }),
    new cloudwatch.GraphWidget({
      title: 'DynamoDB system errors',
      left: [table.metricSystemErrorsForOperations({ operations: TABLE_OPERATIONS, period })],
      width: 4,
    }),
  ];
}
