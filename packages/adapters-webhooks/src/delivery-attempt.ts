import type { ChangeEvent, WebhookEndpoint, WebhookRegistry } from '@userprofile/domain';
import type { WebhookTransport } from './http-transport';
import { signedHeaders } from './signing';

/** Whether the endpoint takes events of this type (all types when it names none). */
export const subscribes = (endpoint: Pick<WebhookEndpoint, 'types'>, event: ChangeEvent) =>
  !endpoint.types || endpoint.types.includes(event.type);

/**
 * One attempt to deliver one event to one endpoint: the body, signed with every secret of the
 * endpoint at `nowMs` (Standard Webhooks), sent through the transport (which checks the address
 * just before: the SSRF guard). True on a 2xx answer; false on any other answer, a failure to
 * connect, a refused address or a timeout. The in-process dispatcher and the queue's share it.
 */
export async function attemptDelivery(
  endpoint: Pick<WebhookEndpoint, 'url' | 'secrets'>,
  event: ChangeEvent,
  transport: WebhookTransport,
  nowMs: number,
): Promise<boolean> {
  const body = JSON.stringify({ type: event.type, timestamp: event.time, data: event });
  const headers = signedHeaders(endpoint.secrets, event.id, Math.floor(nowMs / 1000), body);
  try {
    const status = await transport.send(endpoint.url, headers, body);
    return status >= 200 && status < 300;
  } catch {
    // Unreachable, refused by the address check, timed out: the caller retries later.
    return false;
  }
}

/**
 * Marks the endpoint `failing` in the registry unless an administrator changed its state
 * meanwhile (disabled or deleted it): it then gets nothing more until enabled again.
 */
export async function markFailing(
  registry: Pick<WebhookRegistry, 'get' | 'put'>,
  endpointId: string,
): Promise<void> {
  const stored = await registry.get(endpointId);
  if (stored?.state === 'enabled') await registry.put({ ...stored, state: 'failing' });
}
