import { assertMayBrowse, type Actor } from '../actor';
import { ValidationFailed, WebhookNotFound } from '../errors';
import { isPlainObject } from '../json';
import type { Clock, IdGenerator } from '../ports';
import { CHANGE_EVENT_TYPES, type ChangeEventType } from './change-event';

/** A receiver of the change feed's events, signed with its secrets. */
export interface WebhookEndpoint {
  readonly id: string;
  readonly url: string;
  /** Only these types; all when absent. */
  readonly types?: readonly ChangeEventType[];
  /** The current secret first; after a rotation, the previous one too (both sign). */
  readonly secrets: readonly string[];
  /** `failing`: deliveries were retried for a day and more without success. */
  readonly state: 'enabled' | 'disabled' | 'failing';
  readonly createdAt: string;
}

/** An endpoint as administrators see it: never its secrets. */
export type WebhookView = Omit<WebhookEndpoint, 'secrets'>;

/** Where endpoints are kept. */
export interface WebhookRegistry {
  list(): Promise<readonly WebhookEndpoint[]>;
  get(id: string): Promise<WebhookEndpoint | undefined>;
  put(endpoint: WebhookEndpoint): Promise<void>;
  delete(id: string): Promise<void>;
}

/** Makes signing secrets, and checks where a webhook may be sent (no private address). */
export interface WebhookSecurity {
  newSecret(): string;
  /** @throws Error naming why the URL is refused */
  checkUrl(url: string): Promise<void>;
}

export const WEBHOOK_LIMITS = { urlMaxLength: 2048, endpointsMax: 20 } as const;

/** A webhook with its secret, as answered once at registration and at each rotation. */
export interface WebhookWithSecret {
  readonly webhook: WebhookView;
  readonly secret: string;
}

/** Administrators' webhook endpoints: register, list, rotate the secret, disable, delete. */
export class ManageWebhooks {
  constructor(
    private readonly registry: WebhookRegistry,
    private readonly security: WebhookSecurity,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /** @throws Forbidden, ValidationFailed (a URL refused, unknown types, too many endpoints) */
  async register(actor: Actor, input: unknown): Promise<WebhookWithSecret> {
    assertMayBrowse(actor);
    const { url, types } = await this.parse(input);
    if ((await this.registry.list()).length >= WEBHOOK_LIMITS.endpointsMax) {
      throw ValidationFailed.of('url', `at most ${WEBHOOK_LIMITS.endpointsMax} endpoints`);
    }
    const secret = this.security.newSecret();
    const endpoint: WebhookEndpoint = {
      id: this.ids.newId(),
      url,
      ...(types ? { types } : {}),
      secrets: [secret],
      state: 'enabled',
      createdAt: this.clock.now().toISOString(),
    };
    await this.registry.put(endpoint);
    return { webhook: view(endpoint), secret };
  }

  async list(actor: Actor): Promise<WebhookView[]> {
    assertMayBrowse(actor);
    return (await this.registry.list()).map(view);
  }

  /** A new secret; the previous one keeps signing beside it until the next rotation. */
  async rotateSecret(actor: Actor, id: string): Promise<WebhookWithSecret> {
    const endpoint = await this.load(actor, id);
    const secret = this.security.newSecret();
    const next = { ...endpoint, secrets: [secret, endpoint.secrets[0]!] };
    await this.registry.put(next);
    return { webhook: view(next), secret };
  }

  /** Stops deliveries; `enable` starts them again (a failing endpoint too). */
  async setEnabled(actor: Actor, id: string, enabled: boolean): Promise<WebhookView> {
    const endpoint = await this.load(actor, id);
    const next = { ...endpoint, state: enabled ? ('enabled' as const) : ('disabled' as const) };
    await this.registry.put(next);
    return view(next);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.load(actor, id);
    await this.registry.delete(id);
  }

  private async load(actor: Actor, id: string): Promise<WebhookEndpoint> {
    assertMayBrowse(actor);
    const endpoint = await this.registry.get(id);
    if (!endpoint) throw new WebhookNotFound(id);
    return endpoint;
  }

  private async parse(input: unknown): Promise<{ url: string; types?: ChangeEventType[] }> {
    if (!isPlainObject(input)) throw ValidationFailed.of('', 'the body must be a JSON object');
    const { url, types } = input;
    if (typeof url !== 'string' || url.length > WEBHOOK_LIMITS.urlMaxLength) {
      throw ValidationFailed.of(
        'url',
        `must be a URL of at most ${WEBHOOK_LIMITS.urlMaxLength} characters`,
      );
    }
    if (
      types !== undefined &&
      (!Array.isArray(types) ||
        types.length === 0 ||
        !types.every((t) => CHANGE_EVENT_TYPES.includes(t as ChangeEventType)))
    ) {
      throw ValidationFailed.of('types', `must be a list of ${CHANGE_EVENT_TYPES.join(', ')}`);
    }
    try {
      await this.security.checkUrl(url);
    } catch (error) {
      throw ValidationFailed.of('url', error instanceof Error ? error.message : 'is refused');
    }
    return { url, ...(types ? { types: [...new Set(types as ChangeEventType[])] } : {}) };
  }
}

const view = ({ secrets: _secrets, ...rest }: WebhookEndpoint): WebhookView => rest;
