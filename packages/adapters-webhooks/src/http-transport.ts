import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { checkDestination, type Resolver } from './address-guard';

/** Sends one signed delivery; answers the status, or throws when it could not be sent. */
export interface WebhookTransport {
  send(url: string, headers: Record<string, string>, body: string): Promise<number>;
}

export interface HttpTransportOptions {
  /** Loopback destinations allowed (`ENVIRONMENT=local` only). */
  readonly allowLoopback: boolean;
  readonly resolve?: Resolver;
  /** @default 10000 */
  readonly timeoutMs?: number;
}

/**
 * Delivers over HTTP(S) to the address checked just before (DNS resolved at delivery, every
 * address checked, the connection made to the checked one), never following redirects.
 */
export function httpTransport(options: HttpTransportOptions): WebhookTransport {
  return {
    async send(url, headers, body) {
      const target = await checkDestination(url, options);
      const request = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
      return new Promise<number>((resolve, reject) => {
        const req = request(
          target.url,
          {
            method: 'POST',
            headers: {
              ...headers,
              'content-type': 'application/json',
              'user-agent': 'userprofile-webhooks',
            },
            timeout: options.timeoutMs ?? 10_000,
            // Connect to the address that was checked, whatever a second lookup would say.
            lookup: (_host, opts, callback) => {
              if ((opts as { all?: boolean }).all) {
                callback(null, [{ address: target.address, family: target.family }]);
              } else callback(null, target.address, target.family);
            },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('timeout', () =>
          req.destroy(new Error('The webhook receiver did not answer in time')),
        );
        req.on('error', reject);
        req.end(body);
      });
    },
  };
}
