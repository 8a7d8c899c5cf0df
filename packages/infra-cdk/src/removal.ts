import { RemovalPolicy } from 'aws-cdk-lib';
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
