import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConfig } from '../config';
import { UserProfileStack } from '../user-profile-stack';

/** The feature flags of cdk.json, so that stacks made in tests are the ones the CLI makes. */
export const CDK_JSON_CONTEXT = (
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  }
).context;

/**
 * A subscriber for the alarms, which a stack with retained data must have: tests set it unless
 * they pass `alarmEmail: ''` (none).
 */
const TEST_SUBSCRIBER = { alarmEmail: 'ops@example.com' };

/** Synthesises the stack in memory from context values; bundling is skipped unless asked for. */
export function synthStack(context: Record<string, unknown> = {}, bundle = false) {
  const app = new App({
    context: { ...CDK_JSON_CONTEXT, ...(bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) },
  });
  const stack = new UserProfileStack(app, 'UserProfile-test', {
    config: resolveConfig({ ...TEST_SUBSCRIBER, ...context }),
  });
  return { app, stack, template: Template.fromStack(stack) };
}
