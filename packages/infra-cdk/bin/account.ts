import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ApiGatewayAccountStack } from '../src/api-gateway-account';

// Deployed once per account and region, before any environment: `pnpm deploy:account`.
const app = new App();
new ApiGatewayAccountStack(app, 'UserProfile-ApiGatewayAccount', {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  description: "API Gateway's account-wide logging role (one per account and region)",
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
