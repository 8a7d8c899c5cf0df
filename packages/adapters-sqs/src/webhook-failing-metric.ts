/** The metric an endpoint's giving up emits, and the alarm on it watches. */
export const WEBHOOK_FAILING_METRIC = {
  namespace: 'UserProfile',
  name: 'WebhookFailing',
  /** Its one dimension: the stack's environment (`dev`, `prod`). */
  dimension: 'Environment',
} as const;

/**
 * One `WebhookFailing` count as a CloudWatch Embedded Metric Format line: CloudWatch Logs
 * extracts the metric from the function's log (no PutMetricData call, no client, no grant). The
 * endpoint and event ids ride along as plain members, searchable in the log but not dimensions.
 */
export function webhookFailingLine(
  environment: string,
  endpointId: string,
  eventId: string,
  nowMs: number,
): string {
  const { namespace, name, dimension } = WEBHOOK_FAILING_METRIC;
  return JSON.stringify({
    _aws: {
      Timestamp: nowMs,
      CloudWatchMetrics: [
        {
          Namespace: namespace,
          Dimensions: [[dimension]],
          Metrics: [{ Name: name, Unit: 'Count' }],
        },
      ],
    },
    [dimension]: environment,
    [name]: 1,
    webhook: endpointId,
    event: eventId,
    message: 'a webhook endpoint is failing: its deliveries were retried for the whole schedule',
  });
}
