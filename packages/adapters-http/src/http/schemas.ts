import { IDEMPOTENCY_TTL_MS, LIST_LIMITS, PROFILE_LIMITS } from '@userprofile/domain';
import { MAX_LISTED_PROBLEMS } from './error-handler';
import { duration } from './prose';
import { IDEMPOTENCY_KEY } from './request-headers';
import {
  CACHE_CONTROL_HEADER,
  ETAG_HEADER,
  ifMatch,
  ME_READS_OWN,
  problems,
  profileAnswer,
  userIdParams,
} from './schema-parts';
import { ChangeUserProfileDto, CreateUserProfileDto, ListUsersQueryDto } from './dto';
import { STANDARD_FIELD_WORDS } from './profile-fields-dto';
import { documented, documentedQuery } from './request-schemas';
import {
  FieldProblem,
  Problem,
  ProfilePage,
  ProfilePhoto,
  RenditionUrls,
  UserProfile,
} from './response-dto';

// The OpenAPI document's schemas (loaded by the document extension only). Request bodies are
// generated from the class-validator DTOs that validate them (request-schemas.ts), with words
// added; answers are described here from the domain's types and limits, and every answer of the
// test suites is held to them (openapi-conformance).

// Words only: the rules are the DTOs' (request bodies) and the response classes' (answers).
const WORDS = {
  metadata: `Free-form JSON object, at most ${PROFILE_LIMITS.metadataMaxBytes} bytes and ${PROFILE_LIMITS.metadataMaxDepth} levels deep.`,
  // No \`format: email\`: the service trims what it is sent (' Ada@Example.COM ' is accepted),
  // which a validating client or proxy would refuse on the format's word.
  email: 'An e-mail address; trimmed and lower-cased; unique, case-insensitively.',
  name: 'Trimmed; no control characters.',
  phoneNumber: 'E.164, e.g. +14155550123.',
} as const;

const FIELD_WORDS = {
  email: { description: WORDS.email },
  firstName: { description: WORDS.name },
  lastName: { description: WORDS.name },
  phoneNumber: { description: WORDS.phoneNumber },
  metadata: { description: WORDS.metadata },
  ...STANDARD_FIELD_WORDS,
} as const;

/** The URLs of a photo's renditions. */
const renditionUrlsSchema = documented(
  RenditionUrls,
  {
    $id: 'RenditionUrls',
    description: 'Square WebP renditions by edge length; never changing, cacheable forever.',
  },
  'response',
);

/** A profile's photo, as renditions anyone with the URL may fetch from the CDN. */
const profilePhotoSchema = documented(
  ProfilePhoto,
  {
    $id: 'ProfilePhoto',
    description:
      'Square, centre-cropped, upright WebP renditions with no metadata (no EXIF, GPS, XMP or ICC). Set by committing an upload (`PUT /users/{userId}/photo`); a new photo has new URLs.',
  },
  'response',
);

const profileSchema = documented(
  UserProfile,
  {
    $id: 'UserProfile',
    description: 'A user profile.',
    properties: {
      ...FIELD_WORDS,
      active: { description: "The owner's own switch: deactivated or not." },
      blocked: {
        description:
          'Suspended now (see `suspension`): the owner may then only read and delete the profile (403 ACCOUNT_SUSPENDED otherwise). Administrators only: `true` suspends with reason OTHER (unless a suspension is in force), `false` lifts it; `PUT /users/{userId}/suspension` gives a reason and an end.',
      },
      suspension: {
        description: "The subject's suspension in force, with `blocked`; absent when none is.",
      },
      emailChangedAt: {
        description:
          "As of when `email` is the owner's: for an address taken from the owner's ID token, that token's issue time (`iat`); else when it was written. A token issued at or before it never changes the address.",
      },
      version: { description: 'Also the ETag, as "<version>".' },
    },
  },
  'response',
);

const fieldProblemSchema = documented(
  FieldProblem,
  {
    $id: 'FieldProblem',
    description: 'One problem with one field (or query parameter, or header).',
  },
  'response',
);

const problemSchema = documented(
  Problem,
  {
    $id: 'Problem',
    description: 'RFC 9457 problem details, served as application/problem+json.',
    properties: {
      code: { description: 'Stable: clients may switch on it (docs/api.md, problem types).' },
      errors: {
        description: `With VALIDATION_FAILED: every problem, at most ${MAX_LISTED_PROBLEMS}.`,
      },
      until: {
        description:
          'With ACCOUNT_SUSPENDED: when the suspension lifts by itself; absent: until an administrator lifts it.',
      },
    },
  },
  'response',
);

/** The body of a create: named in the document, so that generated clients get a type. */
const createProfileSchema = documented(CreateUserProfileDto, {
  $id: 'NewProfile',
  description: 'A new profile: e-mail and names required.',
  properties: FIELD_WORDS,
});

const changeWords = {
  ...FIELD_WORDS,
  phoneNumber: { ...FIELD_WORDS.phoneNumber, nullable: true },
  metadata: { ...FIELD_WORDS.metadata, nullable: true },
  username: { ...FIELD_WORDS.username, nullable: true },
  locale: { ...FIELD_WORDS.locale, nullable: true },
  timeZone: { ...FIELD_WORDS.timeZone, nullable: true },
  appMetadata: { ...FIELD_WORDS.appMetadata, nullable: true },
  publicMetadata: { ...FIELD_WORDS.publicMetadata, nullable: true },
  blocked: { description: 'Administrators only (400 for anyone else).' },
} as const;

/** The body of a `PUT`: the fields to replace; null removes phoneNumber or metadata. */
const profileUpdateSchema = documented(ChangeUserProfileDto, {
  $id: 'ProfileUpdate',
  description: 'The fields to replace, one at least; null removes phoneNumber or metadata.',
  properties: changeWords,
  minProperties: 1,
});

/** The body of a `PATCH`: an RFC 7396 merge patch of the same fields. */
const profileMergePatchSchema = documented(ChangeUserProfileDto, {
  $id: 'ProfileMergePatch',
  description: 'An RFC 7396 JSON merge patch: objects merge key by key, null removes.',
  properties: changeWords,
});

/** A page of the list, or the answer of a find by e-mail. */
const profilePageSchema = documented(
  ProfilePage,
  {
    $id: 'ProfilePage',
    description: 'Profiles newest first; `lastKey` is present when more follow.',
    properties: {
      lastKey: { description: 'The cursor of the next page: send it as `lastKey`.' },
    },
  },
  'response',
);

/** Every named schema of the document, for `app.addSchema`. */
export const NAMED_SCHEMAS = [
  renditionUrlsSchema,
  profilePhotoSchema,
  profileSchema,
  fieldProblemSchema,
  problemSchema,
  createProfileSchema,
  profileUpdateSchema,
  profileMergePatchSchema,
  profilePageSchema,
] as const;

export const routeSchemas = {
  create: {
    operationId: 'createProfile',
    summary: 'Create a profile',
    description: `With authentication on, the profile's id is the caller's token subject, so each user creates one profile (a second is 409 PROFILE_EXISTS). Send an Idempotency-Key header to make retries safe: for ${duration(IDEMPOTENCY_TTL_MS)} the same key with the same body answers the original 201 (with Idempotent-Replayed: true) instead of creating again or answering 409 for its own e-mail; the same key with a different body is 422.`,
    tags: ['users'],
    headers: {
      type: 'object',
      properties: {
        'idempotency-key': {
          type: 'string',
          pattern: IDEMPOTENCY_KEY.pattern.source,
          description: `A unique key per intended create, e.g. a UUID: ${IDEMPOTENCY_KEY.rule}.`,
        },
      },
    },
    body: { $ref: 'NewProfile#' },
    response: {
      201: profileAnswer('Created, or replayed for a retry with the same Idempotency-Key.', {
        Location: {
          type: 'string',
          description: 'The new profile: `/users/{userId}`.',
          required: true,
        },
        'Idempotent-Replayed': {
          type: 'string',
          enum: ['true'],
          description: 'Present when this answers a retry: nothing was created by it.',
        },
      }),
      ...problems(400, 401, 403, 409, 413, 415, 422, 429, 503),
    },
  },
  get: {
    operationId: 'getProfile',
    summary: 'Read a profile',
    description: `${ME_READS_OWN}With If-None-Match naming the current ETag, the answer is 304 with no body.`,
    tags: ['users'],
    params: userIdParams,
    headers: {
      type: 'object',
      properties: {
        'if-none-match': {
          type: 'string',
          description: 'ETags already held (`"3"`, or several comma-separated), or `*`.',
        },
      },
    },
    response: {
      200: profileAnswer('The profile.'),
      304: {
        type: 'null',
        description: 'Not modified: the ETag given is still current.',
        headers: { ETag: ETAG_HEADER, 'Cache-Control': CACHE_CONTROL_HEADER },
      },
      ...problems(400, 401, 403, 404, 414, 503),
    },
  },
  list: {
    operationId: 'listProfiles',
    summary: 'List profiles newest first, or find one by e-mail (admins only)',
    description:
      'Pages hold exactly `limit` profiles while more remain; follow `lastKey` for the next one. With `active`, a page may hold fewer (even none) and still have a `lastKey`: each request reads a bounded number of profiles, so follow `lastKey` until there is none. With `email`, the page holds the one profile with that address, or none.',
    tags: ['users'],
    querystring: documentedQuery(ListUsersQueryDto, {
      properties: {
        limit: { default: LIST_LIMITS.default },
        lastKey: { description: 'The opaque cursor of the previous page.' },
        email: { description: 'Return only the profile with this e-mail (case-insensitive).' },
        suspended: {
          description:
            'Only the profiles of subjects suspended now, most recently suspended first; not with `active` or `email`. A page may hold fewer than `limit` and still have a `lastKey`.',
        },
      },
    }),
    response: {
      200: {
        description: 'A page of profiles, or the one with the e-mail asked for.',
        headers: { 'Cache-Control': CACHE_CONTROL_HEADER },
        content: { 'application/json': { schema: { $ref: 'ProfilePage#' } } },
      },
      ...problems(400, 401, 403, 503),
    },
  },
  update: {
    operationId: 'updateProfile',
    summary: 'Update a profile: the given fields replace, the others are kept',
    description:
      'A partial update: fields given replace the stored ones (null removes phoneNumber or metadata); the profile keeps the others. With If-Match, only if the profile has not changed since that ETag.',
    tags: ['users'],
    params: userIdParams,
    headers: ifMatch,
    body: { $ref: 'ProfileUpdate#' },
    response: {
      200: profileAnswer('The profile as changed.'),
      ...problems(400, 401, 403, 404, 409, 412, 413, 414, 415, 429, 503),
    },
  },
  patch: {
    operationId: 'patchProfile',
    summary: 'Update a profile with an RFC 7396 JSON merge patch (application/merge-patch+json)',
    description:
      'Objects merge key by key (metadata included), null removes. With If-Match, only if the profile has not changed since that ETag.',
    tags: ['users'],
    params: userIdParams,
    headers: ifMatch,
    body: {
      content: { 'application/merge-patch+json': { schema: { $ref: 'ProfileMergePatch#' } } },
    },
    response: {
      200: profileAnswer('The profile as changed.'),
      ...problems(400, 401, 403, 404, 409, 412, 413, 414, 415, 429, 503),
    },
  },
  remove: {
    operationId: 'deleteProfile',
    summary: 'Delete a profile and its photo, and free its e-mail',
    description: 'With If-Match, only if the profile has not changed since that ETag.',
    tags: ['users'],
    params: userIdParams,
    headers: ifMatch,
    response: {
      204: { type: 'null', description: 'Deleted' },
      ...problems(400, 401, 403, 404, 409, 412, 414, 429, 503),
    },
  },
} as const;
