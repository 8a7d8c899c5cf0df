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
  ietfRateLimitFields(app, max);
  void app.register(rateLimit, {
    global: true,
    // After authentication (an onRequest hook of the user routes): the subject is known.
    hook: 'preHandler',
    max,
    timeWindow: 60_000,
    keyGenerator: (request) => request.actor?.subject ?? request.ip,
    allowList: (request) => !WRITES.has(request.method) || request.actor?.subject === undefined,
    // Read back and replaced by the IETF's fields below.
    addHeadersOnExceeding: {
      'x-ratelimit-limit': false,
      'x-ratelimit-remaining': true,
      'x-ratelimit-reset': true,
    },
    addHeaders: {
      'x-ratelimit-limit': false,
      'x-ratelimit-remaining': true,
      'x-ratelimit-reset': true,
      'retry-after': true,
    },
    errorResponseBuilder: (_request, context) =>
      Object.assign(
        new Error(`Too many changes: at most ${max} a minute; retry in ${context.after}.`),
        { statusCode: 429 },
      ),
  });
}

/** The name of the one quota policy, as RateLimit-Policy and RateLimit name it. */
const WRITES_POLICY = 'writes';

/**
 * Every counted write's answer (429 included) tells the client its budget with the IETF's fields
 * (draft-ietf-httpapi-ratelimit-headers): `RateLimit-Policy: "writes";q=60;w=60` (the quota and
 * its window in seconds) and `RateLimit: "writes";r=12;t=34` (what remains, and the seconds until
 * the window resets), in place of @fastify/rate-limit's X- headers.
 */
function ietfRateLimitFields(app: FastifyInstance, max: number): void {
  app.addHook('onSend', (_request, reply, payload, done) => {
    const remaining = reply.getHeader('x-ratelimit-remaining');
    if (remaining !== undefined) {
      const reset = reply.getHeader('x-ratelimit-reset');
      reply.removeHeader('x-ratelimit-remaining');
      reply.removeHeader('x-ratelimit-reset');
      reply.header('ratelimit-policy', `"${WRITES_POLICY}";q=${max};w=60`);
      reply.header('ratelimit', `"${WRITES_POLICY}";r=${String(remaining)};t=${String(reset)}`);
    }
    done(null, payload);
  });
}
