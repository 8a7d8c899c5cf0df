import type { WebhookEndpoint, WebhookRegistry } from '../events/webhooks';
import { structuredCopy } from '../profile-rules';

/** Webhook endpoints in memory, oldest first. */
export class InMemoryWebhookRegistry implements WebhookRegistry {
  private readonly endpoints = new Map<string, WebhookEndpoint>();

  async list(): Promise<readonly WebhookEndpoint[]> {
    return [...this.endpoints.values()].map(structuredCopy);
  }

  async get(id: string): Promise<WebhookEndpoint | undefined> {
    const endpoint = this.endpoints.get(id);
    return endpoint && structuredCopy(endpoint);
  }

  async put(endpoint: WebhookEndpoint): Promise<void> {
    this.endpoints.set(endpoint.id, structuredCopy(endpoint));
  }

  async delete(id: string): Promise<void> {
    this.endpoints.delete(id);
  }
}
