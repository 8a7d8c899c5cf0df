import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';

/** A request as `app.inject` was given it, normalised. */
export type Injected = InjectOptions & { method: string; url: string };

/**
 * Taps every `app.inject` of a test app: `before` sees each request as it is sent, `after` each
 * response with its request. For suites that hold the shared HTTP suite's traffic to a rule.
 */
export function tapInject(
  app: FastifyInstance,
  tap: {
    before?: (request: Injected) => void;
    after?: (request: Injected, response: LightMyRequestResponse) => void;
  },
): void {
  const inject = app.inject.bind(app) as (
    options: InjectOptions | string,
  ) => Promise<LightMyRequestResponse>;
  Object.assign(app, {
    inject: async (options: InjectOptions | string) => {
      const given = typeof options === 'string' ? { url: options } : options;
      const request = {
        ...given,
        method: String(given.method ?? 'GET'),
        url: String(given.url ?? given.path ?? '/'),
      } as Injected;
      tap.before?.(request);
      const response = await inject(options);
      tap.after?.(request, response);
      return response;
    },
  });
}
