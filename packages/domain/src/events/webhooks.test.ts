import { userActor } from '../actor';
import { Forbidden, ValidationFailed, WebhookNotFound } from '../errors';
import { FixedClock, SequentialIds, testUserId } from '../testing/fakes';
import { InMemoryWebhookRegistry } from '../testing/in-memory-webhook-registry';
import { ManageWebhooks } from './webhooks';

const admin = userActor('op-1', true);

function setup() {
  const registry = new InMemoryWebhookRegistry();
  let n = 0;
  const security = {
    newSecret: () => `whsec_secret${++n}`,
    checkUrl: async (url: string) => {
      if (url.includes('169.254.169.254')) throw new Error('Refused: a link-local address');
    },
  };
  return {
    registry,
    manage: new ManageWebhooks(registry, security, new FixedClock(), new SequentialIds()),
  };
}

describe('managing webhook endpoints', () => {
  it('shows the secret once, at registration, and never in a listing', async () => {
    const { manage } = setup();
    const made = await manage.register(admin, {
      url: 'https://hooks.example.com/a',
      types: ['profile.deleted'],
    });
    expect(made.secret).toBe('whsec_secret1');
    expect(made.webhook).toEqual({
      id: expect.any(String),
      url: 'https://hooks.example.com/a',
      types: ['profile.deleted'],
      state: 'enabled',
      createdAt: expect.any(String),
    });
    expect(JSON.stringify(await manage.list(admin))).not.toContain('whsec_');
  });

  it('refuses a URL the security check refuses, and unknown types, naming the field', async () => {
    const { manage } = setup();
    const refused = manage.register(admin, { url: 'http://169.254.169.254/latest' });
    await expect(refused).rejects.toBeInstanceOf(ValidationFailed);
    await expect(refused).rejects.toMatchObject({ errors: [{ field: 'url' }] });
    await expect(
      manage.register(admin, { url: 'https://h.example.com', types: ['x'] }),
    ).rejects.toMatchObject({
      errors: [{ field: 'types' }],
    });
  });

  it('rotates a secret keeping the previous one signing, disables and deletes', async () => {
    const { manage, registry } = setup();
    const { webhook } = await manage.register(admin, { url: 'https://hooks.example.com/a' });
    const rotated = await manage.rotateSecret(admin, webhook.id);
    expect((await registry.get(webhook.id))!.secrets).toEqual([rotated.secret, 'whsec_secret1']);
    expect((await manage.setEnabled(admin, webhook.id, false)).state).toBe('disabled');
    await manage.remove(admin, webhook.id);
    await expect(manage.remove(admin, webhook.id)).rejects.toBeInstanceOf(WebhookNotFound);
  });

  it('is for administrators only', async () => {
    const { manage } = setup();
    await expect(manage.list(userActor(testUserId(1)))).rejects.toBeInstanceOf(Forbidden);
  });
});
