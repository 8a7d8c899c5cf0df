import { randomUUID } from 'node:crypto';
import { EXAMPLE_FIXTURES, OPERATION_EXAMPLES } from '../http/examples';
import type { ExampleRequest } from './example-requests';
import { TEST_ADMIN_GROUP, type TestIssuer } from './test-issuer';

/** Administrators' operations: a signed-in user reaches them with an administrator's token. */
const ADMINS = new Set([
  'listProfiles',
  'searchProfiles',
  'suspendAccount',
  'liftSuspension',
  'listSuspensions',
  'listEvents',
  'createWebhook',
  'listWebhooks',
  'rotateWebhookSecret',
  'disableWebhook',
  'enableWebhook',
  'deleteWebhook',
]);
/** Others' public profiles: any signed-in user reads them, with or without a profile of their own. */
const ANY_USER = new Set(['getPublicProfile', 'getPublicProfiles']);

/**
 * In jwt mode, the token an example goes with (a bearer token comes from the identity provider,
 * not from the document): an administrator's for their operations, the creator's (with the
 * example's e-mail verified) for a create, anyone's for a public profile, the owner's for the operations on a profile the
 * examples name, none for the health checks.
 */
export async function exampleToken(
  issuer: TestIssuer,
  request: ExampleRequest,
): Promise<string | undefined> {
  if (request.path.startsWith('/health')) return undefined;
  if (ADMINS.has(request.operationId)) {
    return issuer.idToken(randomUUID(), { groups: [TEST_ADMIN_GROUP] });
  }
  if (ANY_USER.has(request.operationId)) return issuer.idToken(randomUUID());
  if (request.operationId === 'createProfile') {
    const body = JSON.parse(request.body ?? '{}') as { email?: string };
    return issuer.idToken(randomUUID(), { email: body.email });
  }
  const userId = OPERATION_EXAMPLES[request.operationId]?.userId;
  const owner = EXAMPLE_FIXTURES.find((f) => f.userId === userId);
  if (!owner) throw new Error(`No example profile owns ${request.operationId}`);
  return issuer.idToken(owner.userId, { email: owner.email });
}
