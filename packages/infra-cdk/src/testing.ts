import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { resolveConfig } from './config';
import { UserProfileStack } from './user-profile-stack';

/** Synthesises the stack in memory from context values; bundling is skipped unless asked for. */
export function synthStack(context: Record<string, unknown> = {}, bundle = false) {
  const app = new App({ context: bundle ? {} : { 'aws:cdk:bundling-stacks': [] } });
  const stack = new UserProfileStack(app, 'UserProfile-test', { config: resolveConfig(context) });
  return { app, stack, template: Template.fromStack(stack) };
}
