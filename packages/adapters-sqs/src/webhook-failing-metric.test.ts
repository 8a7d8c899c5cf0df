import { WEBHOOK_FAILING_METRIC, webhookFailingLine } from './webhook-failing-metric';

describe('the WebhookFailing metric', () => {
  it('is one Embedded Metric Format line: the directive, its dimension and the value at the root', () => {
    const line = webhookFailingLine('prod', 'wh-1', 'p1.v3', 1_767_225_600_000);
    expect(line).not.toContain('\n');
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(parsed).toMatchObject({
      _aws: {
        Timestamp: 1_767_225_600_000,
        CloudWatchMetrics: [
          {
            Namespace: WEBHOOK_FAILING_METRIC.namespace,
            Dimensions: [['Environment']],
            Metrics: [{ Name: 'WebhookFailing', Unit: 'Count' }],
          },
        ],
      },
      Environment: 'prod',
      WebhookFailing: 1,
      webhook: 'wh-1',
      event: 'p1.v3',
    });
  });
});
