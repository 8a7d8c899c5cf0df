import type { ChangeEvent, WebhookEndpoint } from '@userprofile/domain';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { httpTransport } from './http-transport';
import { newWebhookSecret } from './signing';
import { RETRY_SCHEDULE_MS, WebhookDispatcher } from './webhook-dispatcher';

const createdAt = '2026-01-01T00:00:00.000Z';

const event = (profile: number, version: number): ChangeEvent => ({
  id: `p${profile}.v${version}`,
  type: version === 1 ? 'profile.created' : 'profile.updated',
  time: new Date(Date.UTC(2026, 0, 1, 0, profile, version)).toISOString(),
  profileId: `00000000-0000-4000-8000-00000000000${profile}`,
  version,
  actor: { kind: 'system' },
  changed: [],
});

/** A receiver on loopback: it drops connections, then answers 500, then 200, as told. */
async function receiver(plan: { drop: number; fail: number }) {
  const secret = newWebhookSecret();
  const accepted: ChangeEvent[] = [];
  const attempts: string[] = [];
  let seen = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen++;
      attempts.push(String(req.headers['webhook-id']));
      if (seen <= plan.drop) return void req.socket.destroy();
      if (seen <= plan.drop + plan.fail) return void res.writeHead(500).end();
      const payload = new Webhook(secret).verify(body, req.headers as Record<string, string>);
      accepted.push((payload as { data: ChangeEvent }).data);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { secret, url, accepted, attempts, close: () => new Promise((r) => server.close(r)) };
}

describe('webhook deliveries', () => {
  it('reach a receiver that was down, then failing, every event once, in order per profile', async () => {
    const rx = await receiver({ drop: 4, fail: 5 });
    const waits: number[] = [];
    const failing: string[] = [];
    const endpoint: WebhookEndpoint = {
      id: 'w1',
      url: rx.url,
      secrets: [rx.secret],
      state: 'enabled',
      createdAt,
    };
    const dispatcher = new WebhookDispatcher({
      endpoints: () => [endpoint],
      transport: httpTransport({ allowLoopback: true }),
      sleep: async (ms) => void waits.push(ms),
      onFailing: (e) => failing.push(e.id),
    });
    await dispatcher.publish([event(1, 1), event(2, 1), event(1, 2)]);
    await dispatcher.publish([event(2, 2), event(1, 3), event(3, 1)]);
    await dispatcher.idle();
    await rx.close();

    const byProfile = (n: number) =>
      rx.accepted.filter((e) => e.profileId.endsWith(String(n))).map((e) => e.version);
    expect([byProfile(1), byProfile(2), byProfile(3)]).toEqual([[1, 2, 3], [1, 2], [1]]);
    expect(rx.accepted).toHaveLength(6);
    // Retried deliveries keep their id; nothing but retries repeats one.
    expect(new Set(rx.attempts)).toEqual(new Set(rx.accepted.map((e) => e.id)));
    expect(rx.attempts.length).toBe(6 + 4 + 5);
    expect(failing).toEqual([]);
    expect(waits.every((w) => RETRY_SCHEDULE_MS.includes(w as never))).toBe(true);
  });

  it('retry for more than 24 hours, then mark the endpoint failing and say so', async () => {
    expect(RETRY_SCHEDULE_MS.reduce((a, b) => a + b, 0)).toBeGreaterThan(24 * 3_600_000);
    const waits: number[] = [];
    const failing: string[] = [];
    let sent = 0;
    let endpoint: WebhookEndpoint = {
      id: 'w2',
      url: 'https://x',
      secrets: [newWebhookSecret()],
      state: 'enabled',
      createdAt,
    };
    const dispatcher = new WebhookDispatcher({
      endpoints: () => [endpoint],
      transport: { send: async () => (sent++, 503) },
      sleep: async (ms) => void waits.push(ms),
      // As the registry keeps it: the next batch reads the endpoint failing.
      onFailing: (e, ev) => {
        failing.push(`${e.id} ${e.state} ${ev.id}`);
        endpoint = { ...endpoint, state: 'failing' };
      },
    });
    await dispatcher.publish([event(1, 1), event(1, 2)]);
    await dispatcher.idle();
    expect(waits).toEqual(RETRY_SCHEDULE_MS.slice(1));
    expect(sent).toBe(RETRY_SCHEDULE_MS.length);
    expect(failing).toEqual(['w2 failing p1.v1']);
    await dispatcher.publish([event(1, 3)]);
    await dispatcher.idle();
    expect(sent).toBe(RETRY_SCHEDULE_MS.length);
  });

  it('never reach a loopback receiver outside ENVIRONMENT=local', async () => {
    const rx = await receiver({ drop: 0, fail: 0 });
    const failing: string[] = [];
    const endpoint: WebhookEndpoint = {
      id: 'w3',
      url: rx.url,
      secrets: [rx.secret],
      state: 'enabled',
      createdAt,
    };
    const dispatcher = new WebhookDispatcher({
      endpoints: () => [endpoint],
      transport: httpTransport({ allowLoopback: false }),
      sleep: async () => {},
      onFailing: (e) => failing.push(e.id),
    });
    await dispatcher.publish([event(1, 1)]);
    await dispatcher.idle();
    await rx.close();
    expect(rx.attempts).toEqual([]);
    expect(failing).toEqual(['w3']);
  });

  it('send only the types an endpoint subscribed to', async () => {
    const sent: string[] = [];
    const endpoint: WebhookEndpoint = {
      id: 'w4',
      url: 'https://x',
      secrets: [newWebhookSecret()],
      types: ['profile.created'],
      state: 'enabled',
      createdAt,
    };
    const dispatcher = new WebhookDispatcher({
      endpoints: () => [endpoint],
      transport: { send: async (_u, headers) => (sent.push(headers['webhook-id']!), 200) },
    });
    await dispatcher.publish([event(1, 1), event(1, 2)]);
    await dispatcher.idle();
    expect(sent).toEqual(['p1.v1']);
  });
});
