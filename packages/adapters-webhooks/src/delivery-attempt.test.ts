import type { ChangeEvent, WebhookEndpoint } from '@userprofile/domain';
import { Webhook } from 'standardwebhooks';
import { attemptDelivery, markFailing, subscribes } from './delivery-attempt';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const event: ChangeEvent = {
  id: 'p1.v1',
  type: 'profile.deleted',
  time: '2026-01-01T00:00:00.000Z',
  profileId: 'p1',
  version: 1,
  actor: { kind: 'owner', id: 'p1' },
  changed: [],
};
const endpoint = (state: WebhookEndpoint['state']): WebhookEndpoint => ({
  id: 'wh-1',
  url: 'https://hooks.example.com/a',
  secrets: [SECRET],
  state,
  createdAt: '2026-01-01T00:00:00.000Z',
});

describe('one delivery attempt', () => {
  it('sends the event signed at the given time, and succeeds on 2xx only', async () => {
    const sent: { headers: Record<string, string>; body: string }[] = [];
    const answering = (status: number) => ({
      send: async (_url: string, headers: Record<string, string>, body: string) => {
        sent.push({ headers, body });
        return status;
      },
    });
    const now = Date.now();
    expect(await attemptDelivery(endpoint('enabled'), event, answering(204), now)).toBe(true);
    expect(await attemptDelivery(endpoint('enabled'), event, answering(302), now)).toBe(false);
    expect(await attemptDelivery(endpoint('enabled'), event, answering(500), now)).toBe(false);
    expect(sent[0]!.headers['webhook-timestamp']).toBe(String(Math.floor(now / 1000)));
    expect(new Webhook(SECRET).verify(sent[0]!.body, sent[0]!.headers)).toEqual({
      type: 'profile.deleted',
      timestamp: event.time,
      data: event,
    });
  });

  it('fails, without throwing, when the transport throws (refused address, no answer)', async () => {
    const refusing = { send: () => Promise.reject(new Error('Refused: a link-local address')) };
    await expect(attemptDelivery(endpoint('enabled'), event, refusing, Date.now())).resolves.toBe(
      false,
    );
  });

  it('goes to endpoints that name no types, or name the event type', () => {
    expect(subscribes({}, event)).toBe(true);
    expect(subscribes({ types: ['profile.deleted'] }, event)).toBe(true);
    expect(subscribes({ types: ['profile.created'] }, event)).toBe(false);
  });
});

describe('marking an endpoint failing', () => {
  function registryWith(stored: WebhookEndpoint | undefined) {
    const puts: WebhookEndpoint[] = [];
    return {
      puts,
      registry: { get: async () => stored, put: async (e: WebhookEndpoint) => void puts.push(e) },
    };
  }

  it('marks an enabled endpoint failing, and leaves one an administrator disabled or deleted', async () => {
    const enabled = registryWith(endpoint('enabled'));
    await markFailing(enabled.registry, 'wh-1');
    expect(enabled.puts).toEqual([{ ...endpoint('enabled'), state: 'failing' }]);
    for (const other of [registryWith(endpoint('disabled')), registryWith(undefined)]) {
      await markFailing(other.registry, 'wh-1');
      expect(other.puts).toEqual([]);
    }
  });
});
