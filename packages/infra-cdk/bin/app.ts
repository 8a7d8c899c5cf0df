import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { resolveConfig, StackConfigError } from '../src/config';
import { UserProfileStack } from '../src/user-profile-stack';

const app = new App();
let config;
try {
  // All of it: every setting reaches the stack, and a key that is no setting stops the synth.
  config = resolveConfig(app.node.getAllContext());
} catch (error) {
  if (error instanceof StackConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

new UserProfileStack(app, `UserProfile-${config.environment}`, {
  config,
  // No account or region in the code: the CLI's (or the deploy role's) environment decides.
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  description: `User-profile service (${config.environment})`,
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
