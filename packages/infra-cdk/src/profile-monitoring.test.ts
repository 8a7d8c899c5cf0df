import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { NO_SUBSCRIBER } from './alarm-topic';
import { resolveConfig } from './config';
import {
  CONCURRENCY_ALARM_SHARE,
  DURATION_ALARM_SHARE,
  SERVER_ERROR_RATE,
  WAF_BLOCKED_ALARM,
} from './profile-monitoring';
import { CDK_JSON_CONTEXT, synthStack } from './testing';
import { UserProfileStack } from './user-profile-stack';

const { template } = synthStack();
type Props = Record<string, unknown>;
const ofType = (t: Template, type: string) =>
  Object.values(t.findResources(type)).map((r) => (r as { Properties: Props }).Properties);
const alarms = ofType(template, 'AWS::CloudWatch::Alarm');
const alarm = (name: string) => alarms.find((a) => a.AlarmName === `userprofile-dev-${name}`)!;
const functions = ofType(template, 'AWS::Lambda::Function').filter(
  (f) =>
    String(f.FunctionName).startsWith('userprofile-') &&
    !String(f.FunctionName).endsWith('-photo-sweep') &&
    // The change feed's functions are alarmed by their construct (change-feed.test.ts).
    !String(f.FunctionName).includes('-change-feed'),
);

describe('someone is told', () => {
  it('a stack that keeps data and tells nobody fails synth, saying what to set', () => {
    expect(() => synthStack({ alarmEmail: '' })).toThrow(NO_SUBSCRIBER);
    // A throw-away environment may go unwatched; an HTTPS endpoint alone is a subscriber.
    expect(() => synthStack({ alarmEmail: '', removalPolicy: 'destroy' })).not.toThrow();
    const hook = synthStack({ alarmEmail: '', alarmEndpoint: 'https://chat.example.com/hooks/1' });
    hook.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'https',
      Endpoint: 'https://chat.example.com/hooks/1',
      RawMessageDelivery: true,
    });
    expect(() => synthStack({ alarmEndpoint: 'http://chat.example.com/x' })).toThrow(
      /alarmEndpoint must be an https:\/\/ URL/,
    );
  });

  it('names the dashboard per environment and region (dashboard names are global)', () => {
    const [dashboard] = ofType(template, 'AWS::CloudWatch::Dashboard');
    expect(dashboard!.DashboardName).toEqual({
      'Fn::Join': ['', ['userprofile-dev-', { Ref: 'AWS::Region' }]],
    });
    const names = ['eu-west-1', 'us-east-1'].map((region) => {
      const app = new App({ context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
      const stack = new UserProfileStack(app, `UserProfile-${region}`, {
        config: resolveConfig({ alarmEmail: 'ops@example.com' }),
        env: { region, account: '111111111111' },
      });
      return ofType(Template.fromStack(stack), 'AWS::CloudWatch::Dashboard')[0]!.DashboardName;
    });
    expect(names).toEqual(['userprofile-dev-eu-west-1', 'userprofile-dev-us-east-1']);
  });

  it('lets only this account’s CloudWatch use the alarm key', () => {
    const [key] = ofType(template, 'AWS::KMS::Key');
    const statements = (key!.KeyPolicy as { Statement: Props[] }).Statement;
    const cloudwatch = statements.filter((s) =>
      JSON.stringify(s.Principal).includes('cloudwatch.amazonaws.com'),
    );
    expect(cloudwatch).toHaveLength(1);
    expect(cloudwatch[0]!.Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
    });
  });
});

describe('the alarms a pager wants', () => {
  it('each function: its slowest invocation near its own timeout', () => {
    expect(functions).toHaveLength(6);
    for (const fn of functions) {
      const op = alarms.find(
        (a) =>
          String(a.AlarmName).endsWith('-duration-near-timeout') &&
          JSON.stringify(a.Dimensions).includes(
            JSON.stringify({
              Ref: Object.keys(
                template.findResources('AWS::Lambda::Function', {
                  Properties: { FunctionName: fn.FunctionName },
                }),
              )[0],
            }),
          ),
      );
      expect(op).toMatchObject({
        MetricName: 'Duration',
        Statistic: 'Maximum',
        Threshold: (fn.Timeout as number) * 1000 * DURATION_ALARM_SHARE,
      });
    }
  });

  it("the account's concurrency near the quota it is configured with", () => {
    expect(alarm('account-concurrency')).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'ConcurrentExecutions',
      Statistic: 'Maximum',
      Threshold: 1000 * CONCURRENCY_ALARM_SHARE,
    });
    expect(alarm('account-concurrency').Dimensions).toBeUndefined();
    const bigger = ofType(
      synthStack({ accountConcurrency: '3000' }).template,
      'AWS::CloudWatch::Alarm',
    );
    expect(
      bigger.find((a) => a.AlarmName === 'userprofile-dev-account-concurrency')?.Threshold,
    ).toBe(3000 * CONCURRENCY_ALARM_SHARE);
  });

  it('the API: traffic gone to zero (missing data breaches), 5xx as a share of requests', () => {
    expect(alarm('api-no-requests')).toMatchObject({
      MetricName: 'Count',
      Statistic: 'Sum',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
      EvaluationPeriods: 6,
    });
    expect(alarm('api-5xx-rate')).toMatchObject({ Threshold: SERVER_ERROR_RATE });
    expect(alarm('api-5xx')).toBeUndefined();
  });

  it('the firewall’s blocked requests, on its own web ACL and region; none without a WAF', () => {
    const [acl] = ofType(template, 'AWS::WAFv2::WebACL');
    expect(alarm('waf-blocked')).toMatchObject({
      Namespace: 'AWS/WAFV2',
      MetricName: 'BlockedRequests',
      Threshold: WAF_BLOCKED_ALARM,
      Dimensions: [
        { Name: 'Region', Value: { Ref: 'AWS::Region' } },
        { Name: 'Rule', Value: 'ALL' },
        { Name: 'WebACL', Value: acl!.Name },
      ],
    });
    const open = ofType(synthStack({ waf: 'false' }).template, 'AWS::CloudWatch::Alarm');
    expect(open.some((a) => a.AlarmName === 'userprofile-dev-waf-blocked')).toBe(false);
  });

  it('notifications the alarm topic failed to deliver', () => {
    const [topicId] = Object.keys(template.findResources('AWS::SNS::Topic'));
    expect(alarm('alarm-delivery-failures')).toMatchObject({
      Namespace: 'AWS/SNS',
      MetricName: 'NumberOfNotificationsFailed',
      Dimensions: [{ Name: 'TopicName', Value: { 'Fn::GetAtt': [topicId, 'TopicName'] } }],
    });
  });
});
