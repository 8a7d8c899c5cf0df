import { ETAG } from './request-headers';
import { CACHE_CONTROL } from './user-routes';

// The parts every route's description is made of: problem answers and the headers they carry,
// the profile's ETag and cache headers, the `userId` parameter and `If-Match` (schemas.ts and the
// other route schemas use them).

/**
 * The IETF's rate-limit fields (draft-ietf-httpapi-ratelimit-headers) on every write counted by
 * the per-subject limit (jwt mode, RATE_LIMIT_WRITES above 0).
 */
export const RATE_LIMIT_POLICY = {
  type: 'string',
  pattern: '^"writes";q=[0-9]+;w=60$',
  description:
    'The write quota of one subject: `"writes";q=60;w=60`, at most `q` writes in `w` seconds.',
};
export const RATE_LIMIT = {
  type: 'string',
  pattern: '^"writes";r=[0-9]+;t=[0-9]+$',
  description:
    'What is left of it: `"writes";r=12;t=34`, `r` writes more within the next `t` seconds.',
};

const problemRef = { $ref: 'Problem#' };
/** The headers some error answers always carry. */
const PROBLEM_HEADERS: Record<number, Record<string, object>> = {
  401: {
    'WWW-Authenticate': {
      type: 'string',
      description:
        'The Bearer challenge (RFC 6750): `Bearer realm="userprofile"`, with `error` and `error_description` when a token was given.',
      required: true,
    },
  },
  429: {
    'Retry-After': {
      type: 'string',
      pattern: '^[0-9]+$',
      description: 'Seconds until the limit allows another write.',
      required: true,
    },
    'RateLimit-Policy': { ...RATE_LIMIT_POLICY, required: true },
    RateLimit: { ...RATE_LIMIT, required: true },
  },
  503: {
    'Retry-After': {
      type: 'string',
      pattern: '^[0-9]+$',
      description: 'Seconds to wait before retrying.',
      required: true,
    },
  },
};

/** Error answers, as they are served: application/problem+json. */
export const problems = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((s) => [
      s,
      {
        description: `Problem (${s})`,
        ...(PROBLEM_HEADERS[s] ? { headers: PROBLEM_HEADERS[s] } : {}),
        content: { 'application/problem+json': { schema: problemRef } },
      },
    ]),
  );

export const ETAG_HEADER = {
  type: 'string',
  pattern: ETAG.pattern.source,
  description: 'The profile\'s version, quoted: `"3"`. Send it back in If-Match to update safely.',
  required: true,
};
export const CACHE_CONTROL_HEADER = {
  type: 'string',
  enum: [CACHE_CONTROL],
  description:
    'Personal data: no shared cache may keep it; a private cache revalidates with If-None-Match.',
  required: true,
};
/** A success answer with a profile: its ETag always, other headers as given. */
export const profileAnswer = (description: string, headers: Record<string, object> = {}) => ({
  description,
  headers: { ETag: ETAG_HEADER, 'Cache-Control': CACHE_CONTROL_HEADER, ...headers },
  content: { 'application/json': { schema: { $ref: 'UserProfile#' } } },
});

/** Where the document mentions `me`, which only a signed-in caller has (jwt mode). */
export const ME_READS_OWN = "`me` reads the caller's own profile. ";
export const USER_ID_PATTERN = '^[0-9a-fA-F-]{36}$';

export const userIdParams = {
  type: 'object',
  required: ['userId'],
  properties: {
    userId: {
      type: 'string',
      pattern: '^([0-9a-fA-F-]{36}|me)$',
      description:
        "The profile id (a UUID), or `me` for the caller's own profile. With authentication on, a user reaches only their own profile: any other id is 404, as if it did not exist.",
    },
  },
} as const;

export const ifMatch = {
  type: 'object',
  properties: {
    'if-match': {
      type: 'string',
      description:
        'The ETag last read, quoted as served (`"3"`), or `*`; the write fails with 412 if the profile changed since. Without it, a write retries against concurrent changes by itself.',
    },
  },
} as const;
