import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { UserProfileStackConfig } from './config';

/**
 * What happens to kept data (the table, logs, the alarm key) when the stack goes. `retain`: kept
 * on delete and on replacement, but removed when the stack's first deployment fails and rolls
 * back (CloudFormation's `RetainExceptOnCreate`), so a failed first deploy leaves nothing that
 * would make the next one fail with "already exists". `destroy`: removed with the stack.
 */
export function keptUnlessDestroyed(config: UserProfileStackConfig): RemovalPolicy {
  return config.removalPolicy === 'retain'
    ? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE
    : RemovalPolicy.DESTROY;
}

/**
 * What every table of kept data has (profiles, search items, events): point-in-time recovery,
 * AWS-managed encryption, kept unless destroyed, and deletion protection when kept, switched on by
 * the deployment after the first (ADR 0015: a first deployment's rollback must be able to delete
 * the table).
 */
export function keptTableProps(config: UserProfileStackConfig) {
  return {
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: dynamodb.TableEncryption.AWS_MANAGED,
    removalPolicy: keptUnlessDestroyed(config),
    deletionProtection: config.removalPolicy === 'retain' && config.deletionProtection,
  } satisfies Partial<dynamodb.TableProps>;
}
