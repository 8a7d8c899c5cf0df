import type { ChangeEvent } from '@userprofile/domain';
import { parseWebhookMessage } from './webhook-message';

const event: ChangeEvent = {
  id: 'p1.v2',
  type: 'profile.updated',
  time: '2026-01-01T00:00:00.000Z',
  profileId: 'p1',
  version: 2,
  actor: { kind: 'admin', id: 'op-1' },
  changed: ['lastName', 'email'],
};

describe('a queue message read back', () => {
  it('is the endpoint and the event as the publisher wrote them', () => {
    expect(parseWebhookMessage(JSON.stringify({ endpointId: 'wh-1', event }))).toEqual({
      endpointId: 'wh-1',
      event,
    });
  });

  it.each([
    ['not JSON', '{'],
    ['no endpoint', JSON.stringify({ event })],
    ['an unknown type', JSON.stringify({ endpointId: 'a', event: { ...event, type: 'x' } })],
    [
      'a version not a number',
      JSON.stringify({ endpointId: 'a', event: { ...event, version: '2' } }),
    ],
    [
      'a malformed author',
      JSON.stringify({ endpointId: 'a', event: { ...event, actor: { kind: 'x' } } }),
    ],
    ['changed not strings', JSON.stringify({ endpointId: 'a', event: { ...event, changed: [1] } })],
    ['an array', '[]'],
  ])('is nothing for %s', (_, body) => {
    expect(parseWebhookMessage(body)).toBeUndefined();
  });
});
