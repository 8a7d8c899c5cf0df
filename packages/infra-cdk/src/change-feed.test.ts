import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ChangeFeed, ITERATOR_AGE_ALARM_MS } from './change-feed';
import { resolveConfig } from './config';
import { CDK_JSON_CONTEXT } from './testing';

// The construct on its own (not yet wired into UserProfileStack: one line there, at merge).
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

  it('alarms when the iterator grows old, through the environment topic', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'userprofile-dev-change-feed-iterator-age',
      MetricName: 'IteratorAge',
      Threshold: ITERATOR_AGE_ALARM_MS,
      AlarmActions: [Match.anyValue()],
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
