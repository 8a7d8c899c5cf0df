import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * Stands in for `@aws-sdk/credential-provider-node` in the Lambda bundle (see bundle-options.cjs).
 * Lambda hands a function its role's credentials in the environment, which is where the SDK's
 * default chain would find them first; its other links (SSO, shared ini files, web identity
 * through STS, ECS and EC2 metadata) can never answer there, yet they bring about 90 KB of code,
 * STS and SSO clients included, for V8 to compile at every cold start (aws-sdk-js-v3#5516).
 */
export const defaultProvider = (_init?: unknown) => fromEnv();
