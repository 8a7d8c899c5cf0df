import type { FastifyRequest } from 'fastify';

/**
 * What the app's log lines may hold about a request: its id (pino's `reqId`), method, route
 * pattern, status and timing. Never the URL as sent (a find-by-e-mail query string, or an address
 * typed where an id goes), a header, a body, or what an error carries besides its type and message.
 */
const privateLogSerializers = {
  req(request: FastifyRequest) {
    return { method: request.method, route: request.routeOptions?.url ?? null };
  },
  res(reply: { statusCode: number }) {
    return { statusCode: reply.statusCode };
  },
  err: summariseError,
};

type ErrorSummary = {
  type: string;
  code?: string;
  message: string;
  stack: string;
  cause?: ErrorSummary;
};

/**
 * An error as it may be logged: its class, code, message and stack, and its causes the same way.
 * Other properties are dropped: an SDK error can carry the stored item (a failed condition's
 * `Item`, a transaction's `CancellationReasons`), and so a whole profile.
 */
function summariseError(error: unknown, depth = 0): ErrorSummary {
  if (!(error instanceof Error)) return { type: typeof error, message: String(error), stack: '' };
  const code = (error as { code?: unknown }).code;
  const summary: ErrorSummary = {
    type: error.name,
    ...(typeof code === 'string' ? { code } : {}),
    message: error.message,
    stack: error.stack ?? '',
  };
  if (error.cause !== undefined && depth < 3)
    summary.cause = summariseError(error.cause, depth + 1);
  return summary;
}

const EMAIL = /[^\s"'<>(),;:@\\]+(?:@|%40)[^\s"'<>(),;:@\\/]+\.[A-Za-z]{2,}/g;
const PHONE = /\+[1-9]\d{6,14}\b/g;

/** Pino's options for the app's logger: these serializers, and `scrub` on every line written. */
export function privateLoggerOptions(level: string, stream?: { write(line: string): void }) {
  return {
    level,
    serializers: privateLogSerializers,
    hooks: { streamWrite: scrub },
    ...(stream ? { stream } : {}),
  };
}

/**
 * The last guard, on every line written: e-mail addresses (raw or URL-encoded) and E.164 numbers
 * that reach a message anyway (an infrastructure error quoting a value, say) are blanked.
 */
function scrub(text: string): string {
  // Most lines hold neither an at sign nor a plus: skip the regular expressions for them.
  if (!text.includes('@') && !text.includes('%40') && !text.includes('+')) return text;
  return text.replace(EMAIL, '[e-mail]').replace(PHONE, '[phone]');
}
