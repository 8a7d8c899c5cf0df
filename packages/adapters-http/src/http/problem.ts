import type { Problem as ProblemAnswer } from './response-dto';

/** Every `code` a problem of this API may have (docs/api.md#problem-types); clients switch on them. */
export const PROBLEM_CODES = [
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'ACCOUNT_SUSPENDED',
  'AUTH_UNAVAILABLE',
  'PROFILE_NOT_FOUND',
  'PROFILE_EXISTS',
  'EMAIL_TAKEN',
  'USERNAME_TAKEN',
  'VERSION_CONFLICT',
  'IDEMPOTENCY_KEY_REUSED',
  'STORAGE_UNAVAILABLE',
  'PHOTO_INVALID',
  'PHOTO_PROCESSING_BUSY',
  'UPLOAD_NOT_FOUND',
  'WEBHOOK_NOT_FOUND',
  'MALFORMED_REQUEST',
  'ROUTE_NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'BODY_TOO_LARGE',
  'URI_TOO_LONG',
  'RATE_LIMITED',
  'REQUEST_TIMEOUT',
  'HEADERS_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'BAD_REQUEST',
  'INTERNAL_ERROR',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

/**
 * An RFC 9457 problem details body, with this API's stable `code` and field `errors`: the answer
 * the document defines (response-dto.ts), the one declaration of it.
 */
export type Problem = ProblemAnswer;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** Realm of the `WWW-Authenticate: Bearer` challenge. */
export const AUTH_REALM = 'userprofile';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** Problems are documented at docs/api.md#problem-types; `type` names the code in kebab case. */
export function problem(
  status: number,
  code: ProblemCode,
  detail: string,
  extra: Partial<Problem> = {},
): Problem {
  return {
    type: `/problems/${code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    ...extra,
  };
}
