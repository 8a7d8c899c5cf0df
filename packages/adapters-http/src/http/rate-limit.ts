import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../config';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A per-subject limit on writes (create, `PUT`, `PATCH`, `DELETE`) for a listening server in jwt
 * mode: past `RATE_LIMIT_WRITES` a minute, 429 problem+json with `Retry-After`. Open mode, where
 * anyone may do anything anyway, has none. A Lambda serves one request at a time, so a count of
 * its own would limit nothing: the deployed stack limits in its WAF instead (per IP, and per
 * token on writes), and the Lambda bundle leaves this out.
 */
export function writeRateLimit(app: FastifyInstance, config: AppConfig): void {
  if (config.auth.mode !== 'jwt' || config.auth.writesPerMinute === 0) return;
  const max = config.auth.writesPerMinute;
  void app.register(rateLimit, {
    global: true,
    // After authentication (an onRequest hook of the user routes): the subject is known.
    hook: 'preHandler',
    max,
    timeWindow: 60_000,
    keyGenerator: (request) => request.actor?.subject ?? request.ip,
    allowList: (request) => !WRITES.has(request.method) || request.actor?.subject === undefined,
    addHeadersOnExceeding: {
      'x-ratelimit-limit': false,
      'x-ratelimit-remaining': false,
      'x-ratelimit-reset': false,
    },
    addHeaders: {
      'x-ratelimit-limit': false,
      'x-ratelimit-remaining': false,
      'x-ratelimit-reset': false,
      'retry-after': true,
    },
    errorResponseBuilder: (_request, context) =>
      Object.assign(
        new Error(`Too many changes: at most ${max} a minute; retry in ${context.after}.`),
        { statusCode: 429 },
      ),
  });
}
