import { DynamoChangeEventStore } from '@userprofile/adapters-dynamo';
import {
  createEventTestTable,
  createTestTable,
  testClients,
} from '@userprofile/adapters-dynamo/testing';
import type { RequestSpec } from '@userprofile/adapters-http/testing-events';
import { TEST_ADMIN_GROUP, TestIssuer } from '@userprofile/adapters-http/testing-issuer';
import { testUserId } from '@userprofile/domain/testing';
import { bearer, serveRoutes, statuses } from './testing/api-requests';
import { synthesizedAssembly } from './testing/cloud-assembly';
import { dynamoGrants, ROLE_CREDENTIALS, startRoleProxy } from './testing/function-roles';

const ROOT = testUserId(399);

/**
 * `cdk synth` as a user runs it, then the change feed's API function (the feed, history and
 * webhook routes) from its asset under its own role: its policy from the template, enforced by a
 * proxy in front of DynamoDB Local.
 */
describe('the synthesized cloud assembly: the change feed API under its own IAM policy', () => {
  const assembly = synthesizedAssembly();

  describe('serves the feed, history and webhook routes from its asset under its own IAM policy: every route answered, nothing denied, no grant unused', () => {
    const name = 'userprofile-dev-change-feed-api';
    const profileId = testUserId(8201);
    let t: Awaited<ReturnType<typeof createTestTable>>;
    let events: Awaited<ReturnType<typeof createEventTestTable>>;
    let issuer: TestIssuer;
    let role: Awaited<ReturnType<typeof startRoleProxy>>;
    let as: { admin: Record<string, string>; owner: Record<string, string> };
    let webhookId: string;

    beforeAll(async () => {
      t = await createTestTable();
      events = await createEventTestTable();
      issuer = await TestIssuer.start();
      role = await startRoleProxy(assembly, name, {
        'UserProfiles-dev': t.tableName,
        'UserProfileEvents-dev': events.tableName,
      });
      // An event recorded as the stream function records it, older than the feed's settle window.
      const store = new DynamoChangeEventStore(testClients().documentClient, events.tableName);
      await store.append({
        id: `${profileId}.test.1`,
        type: 'profile.created',
        time: new Date().toISOString(),
        profileId,
        version: 1,
        actor: { kind: 'owner', id: profileId },
        changed: ['email'],
      });
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      as = {
        admin: await bearer(issuer, ROOT, {
          email: 'root@example.com',
          groups: [TEST_ADMIN_GROUP],
        }),
        owner: await bearer(issuer, profileId, { email: 'o@example.com' }),
      };
    });
    afterAll(async () => {
      await role?.proxy.stop();
      await issuer?.stop();
      await events?.drop();
      await t?.drop();
    });

    const serve = (specs: RequestSpec[]) =>
      serveRoutes(
        assembly.assetOf(name),
        specs,
        {
          TABLE_NAME: t.tableName,
          EVENT_TABLE_NAME: events.tableName,
          ENVIRONMENT: 'dev',
          DYNAMODB_ENDPOINT: role.proxy.endpoint,
          AWS_REGION: 'us-east-1',
          ...ROLE_CREDENTIALS,
          LOG_LEVEL: 'warn',
          PHOTOS_URL: 'https://photos.example.com',
          ...issuer.env({ AUTH_JWKS: issuer.jwks }),
        },
        assembly.wrapperOf(name),
      );

    it('registers and lists a webhook, reads the feed and the histories; the owner is refused the feed', async () => {
      const { admin, owner } = as;
      const json = { 'content-type': 'application/json' };
      const [created, list, feed, history, ownHistory, refused] = await serve([
        {
          method: 'POST',
          path: '/webhooks',
          headers: { ...admin, ...json },
          // An address literal: no DNS in the test, and a public address passes the SSRF check.
          body: { url: 'https://93.184.215.14/hook', types: ['profile.updated'] },
        },
        { method: 'GET', path: '/webhooks', headers: admin },
        { method: 'GET', path: '/events', headers: admin },
        { method: 'GET', path: `/users/${profileId}/history`, headers: admin },
        { method: 'GET', path: '/users/me/history', headers: owner },
        { method: 'GET', path: '/events', headers: owner },
      ]);
      expect(statuses([created!, list!, feed!, history!, ownHistory!, refused!])).toEqual([
        201, 200, 200, 200, 200, 403,
      ]);
      webhookId = (JSON.parse(created!.body) as { webhook: { id: string } }).webhook.id;
      expect(JSON.parse(feed!.body).events.map((e: { id: string }) => e.id)).toEqual([
        `${profileId}.test.1`,
      ]);
      expect(JSON.parse(ownHistory!.body).events).toHaveLength(1);
    });

    it('rotates the secret of that webhook, disables, enables and deletes it', async () => {
      const { admin } = as;
      const admins = await serve(
        (['rotate-secret', 'disable', 'enable'] as const).map((action) => ({
          method: 'POST' as const,
          path: `/webhooks/${webhookId}/${action}`,
          headers: admin,
        })),
      );
      const [removed] = await serve([
        { method: 'DELETE', path: `/webhooks/${webhookId}`, headers: admin },
      ]);
      expect(statuses([...admins, removed!])).toEqual([200, 200, 200, 204]);
    });

    it('denied none of those calls and left no DynamoDB grant unused, all on the event table', () => {
      const { proxy, policy } = role;
      expect(proxy.denials).toEqual([]);
      // Least privilege both ways: every DynamoDB grant was used by one of these routes.
      const granted = dynamoGrants(policy);
      const unused = granted.filter(
        (g) => !proxy.uses.some((u) => u.action === g.action && u.resource === g.resource),
      );
      expect(granted.length).toBeGreaterThan(0);
      expect(unused).toEqual([]);
      expect(granted.every((g) => g.resource.includes(events.tableName))).toBe(true);
    });
  });
});
