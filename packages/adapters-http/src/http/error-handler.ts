import type { AccountSuspended, ValidationFailed } from '@userprofile/domain';
import { DomainError, FieldForbidden } from '@userprofile/domain';
import { AuthUnavailable, Unauthenticated } from '../auth/auth-errors';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  AUTH_REALM,
  PROBLEM_CONTENT_TYPE,
  problem,
  type Problem,
  type ProblemCode,
} from './problem';

/** At most this many field problems are listed in one answer, each field name cut to 100 characters. */
export const MAX_LISTED_PROBLEMS = 20;
const MAX_FIELD_NAME = 100;

/** Seconds a client should wait before retrying when storage is unavailable. */
const RETRY_AFTER_SECONDS = 1;

function fromDomain(error: DomainError, request: FastifyRequest): Problem {
  switch (error.code) {
    case 'VALIDATION_FAILED': {
      // Bounded: a body of thousands of unknown fields must not answer with a list larger still.
      const all = (error as ValidationFailed).errors;
      const listed = all.slice(0, MAX_LISTED_PROBLEMS).map(({ field, message }) => ({
        field: field.length > MAX_FIELD_NAME ? `${field.slice(0, MAX_FIELD_NAME)}…` : field,
        message,
      }));
      const detail =
        all.length > listed.length
          ? `The request is not valid; see errors (the first ${listed.length} of ${all.length} problems).`
          : 'The request is not valid; see errors.';
      return problem(400, error.code, detail, { errors: listed });
    }
    case 'FORBIDDEN':
      return problem(
        403,
        error.code,
        error.message,
        error instanceof FieldForbidden
          ? { errors: [{ field: error.field, message: 'may be written by administrators only' }] }
          : {},
      );
    case 'ACCOUNT_SUSPENDED': {
      const { until } = error as AccountSuspended;
      return problem(403, error.code, error.message, until === undefined ? {} : { until });
    }
    case 'PROFILE_NOT_FOUND':
      return problem(404, error.code, 'No profile with this id.');
    case 'WEBHOOK_NOT_FOUND':
      return problem(404, error.code, 'No webhook endpoint with this id.');
    case 'PROFILE_EXISTS':
      return problem(409, error.code, 'A profile with this id already exists.');
    case 'EMAIL_TAKEN':
      return problem(409, error.code, 'This e-mail address is already used by another profile.');
    case 'USERNAME_TAKEN':
      return problem(409, error.code, 'This username is already used by another profile.');
    case 'VERSION_CONFLICT':
      // With If-Match the caller's precondition failed; without, we lost repeated races.
      return request.headers['if-match'] !== undefined
        ? problem(
            412,
            error.code,
            'The profile has changed since the ETag given in If-Match; read it again.',
          )
        : problem(409, error.code, 'The profile was changed concurrently; retry the request.');
    case 'IDEMPOTENCY_KEY_REUSED':
      return problem(
        422,
        error.code,
        'This Idempotency-Key was already used with a different request body.',
      );
    case 'PHOTO_INVALID':
      return problem(422, error.code, error.message);
    case 'UPLOAD_NOT_FOUND':
      return problem(422, error.code, error.message);
    case 'PHOTO_PROCESSING_BUSY':
      return problem(503, error.code, error.message);
    case 'STORAGE_UNAVAILABLE':
      return problem(
        503,
        error.code,
        'The profile store is temporarily unavailable; retry shortly.',
      );
  }
}

function fromAuth(error: Unauthenticated | AuthUnavailable, reply: FastifyReply): Problem {
  if (error instanceof AuthUnavailable) {
    return problem(
      503,
      'AUTH_UNAVAILABLE',
      "Tokens cannot be checked right now (the issuer's keys are unreachable); retry shortly.",
    );
  }
  const challenge = [`Bearer realm="${AUTH_REALM}"`];
  if (error.tokenError) {
    challenge.push(
      `error="${error.tokenError}"`,
      `error_description="${error.message.replace(/"/g, "'")}"`,
    );
  }
  reply.header('www-authenticate', challenge.join(', '));
  return problem(401, 'UNAUTHENTICATED', error.message);
}

/** Fastify's own 4xx errors (parsing, media type, size) under stable codes. */
const FRAMEWORK_CODES: Record<number, ProblemCode> = {
  400: 'MALFORMED_REQUEST',
  404: 'ROUTE_NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'BODY_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

function fromFramework(error: FastifyError): Problem | undefined {
  const status = error.statusCode;
  if (status === undefined || status < 400 || status >= 500) return undefined;
  const code = FRAMEWORK_CODES[status] ?? 'BAD_REQUEST';
  return problem(status, code, status === 400 ? safeParseMessage(error) : error.message);
}

/** Parse errors may quote the body; say what is wrong without echoing it. */
function safeParseMessage(error: FastifyError): string {
  if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return 'The body must not be empty.';
  if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) {
    return 'The body is not valid JSON.';
  }
  if (/prototype/i.test(error.message)) return 'The body contains a forbidden property name.';
  return 'The request is malformed.';
}

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  if (body.status === 503) reply.header('retry-after', String(RETRY_AFTER_SECONDS));
  return reply.status(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
}

/** The one place where errors become HTTP answers. Internal errors never leak a message. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const mapped =
      error instanceof DomainError
        ? fromDomain(error, request)
        : error instanceof Unauthenticated || error instanceof AuthUnavailable
          ? fromAuth(error, reply)
          : fromFramework(error);
    if (mapped) {
      if (mapped.status >= 500) request.log.warn({ err: error }, mapped.code);
      return sendProblem(reply, { ...mapped, instance: request.url.split('?')[0] });
    }
    request.log.error({ err: error }, 'unexpected error');
    return sendProblem(
      reply,
      problem(
        500,
        'INTERNAL_ERROR',
        `An unexpected error occurred; quote request id ${request.id}.`,
      ),
    );
  });
}
