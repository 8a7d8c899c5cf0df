import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sns from 'aws-cdk-lib/aws-sns';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChangeFeed, ITERATOR_AGE_ALARM_MS } from './change-feed';
import { DELETIONS_PATTERN } from './change-feed-bus';
import { EVENT_ROUTES } from '@userprofile/adapters-http/routes';
import { resolveConfig } from './config';
import { feedRoutesAccess } from './feed-api-function';
import { CDK_JSON_CONTEXT, synthStack } from './testing';

// The construct on its own, then in the stack.
const app = new App({ context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
const stack = new Stack(app, 'ChangeFeed-test');
const table = new dynamodb.Table(stack, 'Profiles', {
  partitionKey: { name: 'userId', type: dynamodb.AttributeType.STRING },
  stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
});
new ChangeFeed(stack, 'ChangeFeed', resolveConfig({}), {
  table,
  alarmTopic: new sns.Topic(stack, 'Alarms'),
});
const template = Template.fromStack(stack);

describe('the change feed in AWS', () => {
  it('reads the table stream with batch item failures, bisection and an SQS on-failure destination', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: Match.anyValue(),
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 10,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
  });

  it('is invoked only for the records of profiles and suspensions, written or deleted', () => {
    const [mapping] = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'));
    const patterns = (
      mapping!.Properties as { FilterCriteria: { Filters: { Pattern: string }[] } }
    ).FilterCriteria.Filters.map((f) => JSON.parse(f.Pattern) as unknown);
    expect(patterns).toEqual([
      { dynamodb: { NewImage: { itemType: { S: ['PROFILE', 'SUSPENSION'] } } } },
      { dynamodb: { OldImage: { itemType: { S: ['PROFILE', 'SUSPENSION'] } } } },
    ]);
  });

  it('alarms when the iterator grows old, through the environment topic', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'userprofile-dev-change-feed-iterator-age',
      MetricName: 'IteratorAge',
      Threshold: ITERATOR_AGE_ALARM_MS,
      AlarmActions: [Match.anyValue()],
    });
  });

  it('alarms on failed batches, batches near the timeout and records given up on', () => {
    for (const [name, namespace, metric, threshold] of [
      ['errors', 'AWS/Lambda', 'Errors', 1],
      ['near-timeout', 'AWS/Lambda', 'Duration', 48_000],
      ['failures-queued', 'AWS/SQS', 'ApproximateNumberOfMessagesVisible', 1],
    ] as const) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `userprofile-dev-change-feed-${name}`,
        Namespace: namespace,
        MetricName: metric,
        Threshold: threshold,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [Match.anyValue()],
        OKActions: [Match.anyValue()],
      });
    }
  });

  it('reserves its instances, so that API traffic cannot starve the stream of them', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'userprofile-dev-change-feed',
      Timeout: 60,
      ReservedConcurrentExecutions: 10,
    });
  });

  it('keeps events in a table of their own, with their TTL and the feed index', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'UserProfileEvents-dev',
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'FeedIndex' })],
    });
  });

  it('grants the function on the event table what recording and erasing events do', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:Query'],
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('ChangeFeedEvents'), 'Arn'] },
          }),
        ]),
      },
    });
  });
});

describe("the change feed's EventBridge bus", () => {
  it('is a custom bus the stream function is told of and may put events on, and nothing else', () => {
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'userprofile-dev-changes' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'userprofile-dev-change-feed',
      Environment: {
        Variables: Match.objectLike({
          EVENT_BUS_NAME: { Ref: Match.stringLikeRegexp('^ChangeFeedBus') },
          EVENT_SOURCE: 'userprofile',
        }),
      },
    });
    const eventStatements = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap(
        (p) =>
          (p as { Properties: { PolicyDocument: { Statement: Record<string, unknown>[] } } })
            .Properties.PolicyDocument.Statement,
      )
      .filter((st) => JSON.stringify(st.Action).includes('events:'));
    expect(eventStatements).toEqual([
      expect.objectContaining({
        Action: 'events:PutEvents',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^ChangeFeedBus/), 'Arn'] },
      }),
    ]);
  });

  it('has the example rule: profile deletions from the service to an encrypted queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      Name: 'userprofile-dev-profile-deleted',
      EventBusName: { Ref: Match.stringLikeRegexp('^ChangeFeedBus') },
      EventPattern: { source: ['userprofile'], 'detail-type': ['profile.deleted'] },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ChangeFeedBusDeletions'), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 185 },
        }),
      ],
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
  });

  it('matches the events the publisher puts (the rule example of docs/api.md)', () => {
    const doc = readFileSync(join(__dirname, '../../../docs/api.md'), 'utf8');
    const example = /<!-- rule-example -->\s*```json\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    expect(JSON.parse(example!)).toEqual({
      source: DELETIONS_PATTERN.source,
      'detail-type': DELETIONS_PATTERN.detailType,
    });
  });
});

describe('the change feed in the stack', () => {
  const { template: stackTemplate } = synthStack();
  type Resource = { Properties: Record<string, unknown> };
  const fnNamed = (name: string) =>
    Object.values(stackTemplate.findResources('AWS::Lambda::Function')).find(
      (f) => (f as Resource).Properties.FunctionName === name,
    ) as Resource | undefined;
  const routesFn = () => fnNamed('userprofile-dev-change-feed-api')!;
  const routesFnId = () =>
    Object.entries(stackTemplate.findResources('AWS::Lambda::Function')).find(
      ([, f]) => (f as Resource).Properties.FunctionName === 'userprofile-dev-change-feed-api',
    )![0];

  it("reads the profile table's stream", () => {
    expect(fnNamed('userprofile-dev-change-feed')).toBeDefined();
    stackTemplate.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataTable'), 'StreamArn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('serves every route of EVENT_ROUTES from one function of the same app bundle, signed in', () => {
    const fn = routesFn();
    expect(fn.Properties).toMatchObject({
      Handler: 'index.handler',
      Environment: {
        Variables: {
          EVENT_TABLE_NAME: { Ref: expect.stringMatching(/^ChangeFeedEvents/) },
          TABLE_NAME: { Ref: expect.stringMatching(/^DataTable/) },
          AUTH_MODE: 'jwt',
        },
      },
    });
    const methods = Object.values(stackTemplate.findResources('AWS::ApiGateway::Method'))
      .map((m) => (m as Resource).Properties)
      .filter((m) => JSON.stringify(m.Integration).includes(routesFnId()));
    expect(methods.map((m) => m.HttpMethod).sort()).toEqual(
      Object.values(EVENT_ROUTES)
        .map((r) => r.method)
        .sort(),
    );
    for (const m of methods) expect(m.AuthorizationType).toBe('COGNITO_USER_POOLS');
  });

  it("grants the routes' function what their store methods declare, on the event table only", () => {
    const roleId = (routesFn().Properties.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
    const statements = Object.values(stackTemplate.findResources('AWS::IAM::Policy'))
      .map((p) => (p as Resource).Properties)
      .filter((p) => (p.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
      .flatMap((p) => (p.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement)
      .filter((s) => JSON.stringify(s.Action).includes('dynamodb:'));
    expect(JSON.stringify(statements)).not.toContain('DataTable');
    expect(statements).toEqual([
      expect.objectContaining({
        Action: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^ChangeFeedEvents/), 'Arn'] },
      }),
      expect.objectContaining({
        Action: 'dynamodb:Query',
        Resource: {
          'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.any(String), 'Arn'] }, '/index/FeedIndex']],
        },
      }),
    ]);
    expect(feedRoutesAccess().map((a) => `${a.on} ${a.action}`)).toEqual([
      'feedIndex dynamodb:Query',
      'table dynamodb:DeleteItem',
      'table dynamodb:GetItem',
      'table dynamodb:PutItem',
      'table dynamodb:Query',
    ]);
  });

  it("shows the feed's lag, failures and traffic on the environment's dashboard", () => {
    const [dashboard] = Object.values(stackTemplate.findResources('AWS::CloudWatch::Dashboard'));
    const body = JSON.stringify((dashboard as Resource).Properties.DashboardBody);
    for (const title of [
      'iterator age',
      'invocations / errors',
      'records sent to the failure queue',
    ]) {
      expect(body).toContain(`Change feed: ${title}`);
    }
  });

  it("alarms on the routes' function's errors and throttles through the environment topic", () => {
    for (const name of ['errors', 'throttles']) {
      stackTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `userprofile-dev-change-feed-api-${name}`,
        AlarmActions: [{ Ref: Match.stringLikeRegexp('AlarmTopic') }],
      });
    }
  });
});
