import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { newWebhookSecret, signedHeaders } from './signing';

const body = JSON.stringify({ type: 'profile.updated', data: { id: 'e1' } });
const now = () => Math.floor(Date.now() / 1000);

describe('Standard Webhooks signatures', () => {
  it('verify with the standardwebhooks package, and carry the event id', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const headers = signedHeaders([secret], 'e1', now(), body);
    expect(headers['webhook-id']).toBe('e1');
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('verify with either secret during a rotation', () => {
    const [old, fresh] = [newWebhookSecret(), newWebhookSecret()];
    const headers = signedHeaders([fresh, old], 'e1', now(), body);
    expect(new Webhook(old).verify(body, headers)).toBeTruthy();
    expect(new Webhook(fresh).verify(body, headers)).toBeTruthy();
  });

  it('fail for another secret, a changed body or an old timestamp', () => {
    const secret = newWebhookSecret();
    const headers = signedHeaders([secret], 'e1', now(), body);
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow(
      WebhookVerificationError,
    );
    expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow(WebhookVerificationError);
    const stale = signedHeaders([secret], 'e1', now() - 3600, body);
    expect(() => new Webhook(secret).verify(body, stale)).toThrow(WebhookVerificationError);
  });
});
