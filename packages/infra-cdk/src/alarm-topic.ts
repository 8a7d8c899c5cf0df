import { Annotations, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import type { UserProfileStackConfig } from './config';
import { keptUnlessDestroyed } from './removal';

/** Why a stack that keeps data cannot go out with alarms nobody receives. */
export const NO_SUBSCRIBER =
  'removalPolicy=retain keeps users and photos, but no one would hear of an alarm: set -c alarmEmail=<address> (confirm the e-mail AWS sends) and/or -c alarmEndpoint=https://<chat or pager webhook>, or deploy a throw-away environment with -c removalPolicy=destroy.';

/**
 * The topic every alarm and its recovery goes to: encrypted, TLS only, open to this environment's
 * alarms, with an e-mail and/or HTTPS subscriber. With retained data and neither, synth fails
 * (an error annotation: `cdk synth` and `cdk deploy` stop with `NO_SUBSCRIBER`).
 */
export function alarmTopic(scope: Construct, config: UserProfileStackConfig): sns.Topic {
  const env = config.environment;
  const { account, partition, region } = Stack.of(scope);
  // CloudWatch can only publish to an encrypted topic whose key lets it; the AWS-managed SNS key does not.
  const key = new kms.Key(scope, 'AlarmTopicKey', {
    enableKeyRotation: true,
    description: `userprofile-${env} alarm topic`,
    removalPolicy: keptUnlessDestroyed(config),
    pendingWindow: Duration.days(7),
  });
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowThisAccountsCloudWatch',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      // Only on behalf of this account's alarms (confused deputy).
      conditions: { StringEquals: { 'aws:SourceAccount': account } },
    }),
  );
  const topic = new sns.Topic(scope, 'AlarmTopic', {
    topicName: `userprofile-${env}-alarms`,
    masterKey: key,
    enforceSSL: true,
  });
  // `enforceSSL` gives the topic a policy, and a topic policy replaces SNS's default one: without
  // this statement no alarm could publish. Only this account's alarms of this environment may.
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
  if (config.alarmEmail) {
    topic.addSubscription(new subscriptions.EmailSubscription(config.alarmEmail));
  }
  if (config.alarmEndpoint) {
    // Raw delivery: the webhook gets CloudWatch's alarm JSON itself, not SNS's envelope.
    topic.addSubscription(
      new subscriptions.UrlSubscription(config.alarmEndpoint, {
        protocol: sns.SubscriptionProtocol.HTTPS,
        rawMessageDelivery: true,
      }),
    );
  }
  if (config.removalPolicy === 'retain' && !config.alarmEmail && !config.alarmEndpoint) {
    Annotations.of(topic).addError(NO_SUBSCRIBER);
  }
  return topic;
}

/** An alarm of one of the stack's parts: its name, what it means, what it watches. */
export interface NotifyingAlarmProps {
  readonly alarmName: string;
  readonly alarmDescription: string;
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  /** @default 1 */
  readonly evaluationPeriods?: number;
  /** Breached above the threshold only, not at it. @default false */
  readonly aboveOnly?: boolean;
}

/**
 * An alarm at (or above) its threshold whose breach and recovery both go to `topic`; missing data
 * is no breach (an idle function reports nothing).
 */
export function notifyingAlarm(
  scope: Construct,
  id: string,
  topic: sns.ITopic,
  props: NotifyingAlarmProps,
): cloudwatch.Alarm {
  const { aboveOnly, evaluationPeriods, ...rest } = props;
  const alarm = new cloudwatch.Alarm(scope, id, {
    ...rest,
    evaluationPeriods: evaluationPeriods ?? 1,
    comparisonOperator: aboveOnly
      ? cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD
      : cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  alarm.addAlarmAction(new actions.SnsAction(topic));
  alarm.addOkAction(new actions.SnsAction(topic));
  return alarm;
}
