import { checkDestination, newWebhookSecret } from '@userprofile/adapters-webhooks';
import type { WebhookSecurity } from '@userprofile/domain';
import type { AppConfig } from './config';

/** Loopback receivers are for a developer's machine only. */
export const allowsLoopback = (config: AppConfig) => config.environment === 'local';

/** Secrets from the system's random source; URLs refused by the SSRF checks. */
export function webhookSecurity(config: AppConfig): WebhookSecurity {
  return {
    newSecret: newWebhookSecret,
    checkUrl: async (url) =>
      void (await checkDestination(url, { allowLoopback: allowsLoopback(config) })),
  };
}
