import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sns from 'aws-cdk-lib/aws-sns';
import { WEBHOOK_REGISTRY_ACCESS } from '@userprofile/adapters-dynamo/event-access';
import {
  WEBHOOK_QUEUE_CONSUME_ACCESS,
  WEBHOOK_QUEUE_PUBLISH_ACCESS,
  WEBHOOK_REGISTRY_USE,
} from '@userprofile/adapters-sqs/access';
import { ChangeFeed } from './change-feed';
import { resolveConfig } from './config';
import { CDK_JSON_CONTEXT } from './testing';
import { DISPATCHER_MAX_CONCURRENCY, OLDEST_DELIVERY_ALARM_SECONDS } from './webhook-delivery';

// The change feed on its own, as change-feed.test.ts makes it; the stack's cdk-nag run is in
// stack-api-and-operations.test.ts.
const app = new App({ context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
const stack = new Stack(app, 'Webhooks-test');
const table = new dynamodb.Table(stack, 'Profiles', {
  partitionKey: { name: 'userId', type: dynamodb.AttributeType.STRING },
  stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
});
const feed = new ChangeFeed(stack, 'ChangeFeed', resolveConfig({}), {
  table,
  alarmTopic: new sns.Topic(stack, 'Alarms'),
});
const template = Template.fromStack(stack);
const ref = (construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as never);
const queueArn = { 'Fn::GetAtt': [ref(feed.webhooks.queue), 'Arn'] };
const eventTableArn = { 'Fn::GetAtt': [ref(feed.eventTable), 'Arn'] };

type Statement = { Action: string | string[]; Resource: unknown };
/** Every statement of a role's policies, but the log group's and X-Ray's. */
function statementsOf(roleRef: string): { actions: string[]; resource: unknown }[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) =>
      (p.Properties as { Roles: { Ref: string }[] }).Roles.some((r) => r.Ref === roleRef),
    )
    .flatMap(
      (p) =>
        (p.Properties as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement,
    )
    .map((s) => ({ actions: [s.Action].flat(), resource: s.Resource }))
    .filter((s) => !s.actions.some((a) => a.startsWith('logs:') || a.startsWith('xray:')));
}
const roleOf = (fn: { role?: { node: { defaultChild?: unknown } } }) => ref(fn.role!);

describe('webhook delivery in AWS', () => {
  it('queues on an encrypted FIFO queue that refuses plain HTTP, kept 4 days, per-group deduplication', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'userprofile-dev-webhooks.fifo',
      FifoQueue: true,
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 4 * 24 * 3600,
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
      VisibilityTimeout: 720,
    });
    const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy'));
    const denies = policies.filter((p) =>
      JSON.stringify(p.Properties).includes('"aws:SecureTransport":"false"'),
    );
    expect(JSON.stringify(denies)).toContain(ref(feed.webhooks.queue));
  });

  it('runs the dispatcher on the queue with batch item failures reported, small batches and capped instances', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: queueArn,
      FunctionName: { Ref: ref(feed.webhooks.function) },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: DISPATCHER_MAX_CONCURRENCY },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'userprofile-dev-change-feed-webhooks',
      Timeout: 120,
      Environment: {
        Variables: Match.objectLike({ ENVIRONMENT: 'dev', WEBHOOK_QUEUE_URL: Match.anyValue() }),
      },
    });
  });

  it('grants the dispatcher exactly what the event source and its code declare on the queue, and the registry methods it calls', () => {
    expect(statementsOf(roleOf(feed.webhooks.function))).toEqual([
      {
        actions: [
          ...WEBHOOK_QUEUE_CONSUME_ACCESS.eventSource,
          ...WEBHOOK_QUEUE_CONSUME_ACCESS.code,
        ].sort(),
        resource: queueArn,
      },
      {
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
        resource: eventTableArn,
      },
    ]);
    expect(
      WEBHOOK_REGISTRY_USE.dispatcher
        .flatMap((m) => WEBHOOK_REGISTRY_ACCESS[m])
        .every((a) => a.on === 'table'),
    ).toBe(true);
  });

  it('grants the stream function SendMessage on the queue and the registry listing, and tells it the queue', () => {
    const statements = statementsOf(roleOf(feed.function));
    expect(statements).toContainEqual({
      actions: [...WEBHOOK_QUEUE_PUBLISH_ACCESS],
      resource: queueArn,
    });
    // Statements on one resource are merged (the minimizePolicies flag): listing the registry
    // adds Query to the event table's, which recording and erasing events already hold.
    const onTable = statements.filter(
      (s) => JSON.stringify(s.resource) === JSON.stringify(eventTableArn),
    );
    expect(onTable.flatMap((s) => s.actions)).toEqual(
      expect.arrayContaining(
        WEBHOOK_REGISTRY_USE.publisher.flatMap((m) =>
          WEBHOOK_REGISTRY_ACCESS[m].map((a) => a.action),
        ),
      ),
    );
    expect(
      statements.filter((s) => JSON.stringify(s.resource) === JSON.stringify(queueArn)),
    ).toEqual([{ actions: ['sqs:SendMessage'], resource: queueArn }]);
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'userprofile-dev-change-feed',
      Environment: {
        Variables: Match.objectLike({ WEBHOOK_QUEUE_URL: { Ref: ref(feed.webhooks.queue) } }),
      },
    });
  });

  it('alarms on an endpoint given up (the EMF metric), a delivery waiting over an hour, and failed batches', () => {
    for (const [name, namespace, metric, threshold, dimensions] of [
      ['failing', 'UserProfile', 'WebhookFailing', 1, [{ Name: 'Environment', Value: 'dev' }]],
      [
        'oldest',
        'AWS/SQS',
        'ApproximateAgeOfOldestMessage',
        OLDEST_DELIVERY_ALARM_SECONDS,
        Match.anyValue(),
      ],
      ['errors', 'AWS/Lambda', 'Errors', 1, Match.anyValue()],
    ] as const) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `userprofile-dev-webhooks-${name}`,
        Namespace: namespace,
        MetricName: metric,
        Threshold: threshold,
        Dimensions: dimensions,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [Match.anyValue()],
        OKActions: [Match.anyValue()],
      });
    }
  });
});
