import { Stack, type Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { monitoredTables, type MonitoredParts, type MonitoredTable } from './monitored-parts';

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

/**
 * DynamoDB: consumed against provisioned capacity of the profile table, the search table and
 * their indexes (the search table is on demand: consumed only), throttled requests, system errors.
 */
function tableRow(parts: MonitoredParts, period: Duration): cloudwatch.IWidget[] {
  const tables = monitoredTables(parts);
  const capacity = (kind: 'Read' | 'Write') =>
    tables.flatMap((t, i) => capacityLines(kind, t, `${kind.toLowerCase()}${i}_`, period));
  return [
    new cloudwatch.GraphWidget({
      title: 'Table reads: consumed vs provisioned',
      left: capacity('Read'),
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: 'Table writes: consumed vs provisioned',
      left: capacity('Write'),
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: 'DynamoDB throttled requests',
      left: tables.map((t, i) => perOperation('ThrottledRequests', t, `throttled${i}_`, period)),
      width: 4,
    }),
    new cloudwatch.GraphWidget({
      title: 'DynamoDB system errors',
      left: tables.map((t, i) => perOperation('SystemErrors', t, `errors${i}_`, period)),
      width: 4,
    }),
  ];
}

const dynamoMetric = (
  metricName: string,
  dimensionsMap: Record<string, string>,
  statistic: string,
  period: Duration,
  label?: string,
) =>
  new cloudwatch.Metric({
    namespace: 'AWS/DynamoDB',
    metricName,
    dimensionsMap,
    statistic,
    period,
    ...(label ? { label } : {}),
  });

/**
 * A table's and each of its indexes' consumed capacity per second (ids `<id><n>` in the graph),
 * and the provisioned capacity where the table may have some.
 */
function capacityLines(
  kind: 'Read' | 'Write',
  t: MonitoredTable,
  id: string,
  period: Duration,
): cloudwatch.IMetric[] {
  const tableDims = { TableName: t.table.tableName };
  const parts = [
    { dims: tableDims, label: t.label },
    ...t.indexNames.map((indexName) => ({
      dims: { ...tableDims, GlobalSecondaryIndexName: indexName },
      label: indexName,
    })),
  ];
  const lower = kind.toLowerCase();
  return parts.flatMap(({ dims, label }, n) => [
    new cloudwatch.MathExpression({
      expression: `${id}${n} / PERIOD(${id}${n})`,
      usingMetrics: {
        [`${id}${n}`]: dynamoMetric(`Consumed${kind}CapacityUnits`, dims, 'Sum', period),
      },
      label: `${label} consumed ${lower}s/s`,
      period,
    }),
    ...(t.mayBeProvisioned
      ? [
          dynamoMetric(
            `Provisioned${kind}CapacityUnits`,
            dims,
            'Average',
            period,
            `${label} provisioned ${lower}s`,
          ),
        ]
      : []),
  ]);
}

/**
 * One line for a table: the metric summed over the operations the service performs on it, each
 * metric with an id of its own in the graph (`<id><n>`; CDK's own per-operation sums name them by
 * operation, so two tables' sums could not share a graph).
 */
function perOperation(name: string, t: MonitoredTable, id: string, period: Duration) {
  return new cloudwatch.MathExpression({
    expression: t.operations.map((_, i) => `FILL(${id}${i}, 0)`).join(' + '),
    usingMetrics: Object.fromEntries(
      t.operations.map((operation, i) => [
        `${id}${i}`,
        dynamoMetric(name, { TableName: t.table.tableName, Operation: operation }, 'Sum', period),
      ]),
    ),
    label: `${t.label}: ${name}`,
    period,
  });
}
