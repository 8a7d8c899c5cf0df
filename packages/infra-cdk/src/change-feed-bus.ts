import { Duration, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DEFAULT_EVENT_SOURCE, EVENT_BUS_ACCESS } from '@userprofile/adapters-eventbridge/access';
import type { UserProfileStackConfig } from './config';

/**
 * The pattern of the example rule: every profile's deletion, for the systems that must erase
 * what they hold about the person (docs/api.md, _Change feed_).
 */
export const DELETIONS_PATTERN: events.EventPattern = {
  source: [DEFAULT_EVENT_SOURCE],
  detailType: ['profile.deleted'],
};

/**
 * The change feed's custom EventBridge bus: the stream function puts every event on it (its
 * grant derived from `EVENT_BUS_ACCESS`), and one example rule sends deletions to an SQS queue a
 * downstream system reads.
 */
export class ChangeFeedBus extends Construct {
  public readonly bus: events.EventBus;
  /** The example rule's target: `profile.deleted` events, kept 14 days. */
  public readonly deletions: sqs.Queue;

  constructor(
    scope: Construct,
    id: string,
    config: UserProfileStackConfig,
    /** The stream function: it puts the events. */
    publisher: lambda.Function,
  ) {
    super(scope, id);
    this.bus = new events.EventBus(this, 'Bus', {
      eventBusName: `userprofile-${config.environment}-changes`,
      description: 'Every committed change of a profile, one event each (ADR 0016).',
    });
    publisher.role!.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [...new Set(EVENT_BUS_ACCESS.publish)],
        resources: [this.bus.eventBusArn],
      }),
    );
    publisher.addEnvironment('EVENT_BUS_NAME', this.bus.eventBusName);
    publisher.addEnvironment('EVENT_SOURCE', DEFAULT_EVENT_SOURCE);

    this.deletions = new sqs.Queue(this, 'Deletions', {
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
    });
    new events.Rule(this, 'DeletionsRule', {
      eventBus: this.bus,
      ruleName: `userprofile-${config.environment}-profile-deleted`,
      description: 'Example: profile deletions to a queue, for systems that must erase the person.',
      eventPattern: DELETIONS_PATTERN,
      targets: [new targets.SqsQueue(this.deletions, { retryAttempts: 185 })],
    });
    Validations.of(this.deletions).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'The example rule’s target queue: what its consumer cannot process is that consumer’s to dead-letter; EventBridge retries delivery to it for 24 h.',
    });
  }
}
