import type { ChangeEvent, ChangeEventPublisher, WebhookEndpoint } from '@userprofile/domain';
import { attemptDelivery, subscribes } from './delivery-attempt';
import type { WebhookTransport } from './http-transport';

/** A receiver as the dispatcher holds it: its `state` turns `failing` when retries run out. */
export type DispatchedEndpoint = Omit<WebhookEndpoint, 'state'> & {
  state: WebhookEndpoint['state'];
};

/**
 * Waits before each attempt of a delivery: at once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and
 * 10 h (about 27.6 h in all, as Svix does), after which the endpoint is marked failing.
 */
export const RETRY_SCHEDULE_MS = [
  0,
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  10 * 3_600_000,
] as const;

export interface DispatcherOptions {
  /** The endpoints now (read for each batch). */
  readonly endpoints: () => Promise<readonly WebhookEndpoint[]> | readonly WebhookEndpoint[];
  readonly transport: WebhookTransport;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Called when an endpoint is marked failing: the metric and alarm hang on it. */
  readonly onFailing?: (endpoint: WebhookEndpoint, event: ChangeEvent) => unknown;
  readonly schedule?: readonly number[];
}

/**
 * Delivers events to every endpoint subscribed to their type, signed (Standard Webhooks), in
 * order per profile: a profile's next event waits until its previous one was delivered, while
 * other profiles' go on. A delivery is retried on a failure to connect or any answer but 2xx, on
 * the schedule; after the last attempt the endpoint is marked failing and gets nothing more (the
 * feed keeps the events 14 days for it to catch up). Publishing only queues: the stream is never
 * held up by a slow receiver. The queues live in this process (see ADR 0016).
 */
export class WebhookDispatcher implements ChangeEventPublisher {
  private readonly queues = new Map<string, ChangeEvent[]>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: DispatcherOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  async publish(events: readonly ChangeEvent[]): Promise<void> {
    for (const stored of await this.options.endpoints()) {
      if (stored.state !== 'enabled') continue;
      const endpoint: DispatchedEndpoint = { ...stored };
      for (const event of events) {
        if (!subscribes(endpoint, event)) continue;
        const key = `${endpoint.id} ${event.profileId}`;
        const queue = this.queues.get(key) ?? [];
        queue.push(event);
        this.queues.set(key, queue);
        if (!this.running.has(key)) {
          this.running.set(
            key,
            this.drain(key, endpoint).finally(() => this.running.delete(key)),
          );
        }
      }
    }
  }

  /** Resolves when every queue is empty (for tests and shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()]);
  }

  private async drain(key: string, endpoint: DispatchedEndpoint): Promise<void> {
    const queue = this.queues.get(key)!;
    while (queue.length > 0) {
      if (endpoint.state !== 'enabled' || !(await this.deliver(endpoint, queue[0]!))) {
        queue.length = 0;
        break;
      }
      queue.shift();
    }
    this.queues.delete(key);
  }

  /** One event to one endpoint, retried on the schedule; false when it never got through. */
  private async deliver(endpoint: DispatchedEndpoint, event: ChangeEvent): Promise<boolean> {
    for (const wait of this.options.schedule ?? RETRY_SCHEDULE_MS) {
      if (wait > 0) await this.sleep(wait);
      if (endpoint.state !== 'enabled') return false;
      if (await attemptDelivery(endpoint, event, this.options.transport, this.now())) return true;
    }
    endpoint.state = 'failing';
    await this.options.onFailing?.(endpoint, event);
    return false;
  }
}
