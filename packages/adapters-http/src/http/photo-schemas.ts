import { PHOTO_LIMITS } from '@userprofile/domain';
import { PhotoCommitDto, PhotoUploadRequestDto } from './photo-dto';
import { documented } from './request-schemas';
import { UploadTicket } from './response-dto';
import {
  CACHE_CONTROL_HEADER,
  ETAG_HEADER,
  ifMatch,
  problems,
  profileAnswer,
  userIdParams,
} from './schema-parts';
import { bytes, duration, list, megapixels } from './prose';

// The photo routes' part of the document, registered only where they are served (with the photo
// module): the Lambda of the other routes carries none of it.

/** The body of `POST /users/{userId}/photo`. */
const photoUploadRequestSchema = documented(PhotoUploadRequestDto, {
  $id: 'PhotoUploadRequest',
  description:
    'The file about to be uploaded. The ticket admits exactly this type and length; the content itself is checked when committed, whatever it was declared as.',
  properties: {
    contentLength: {
      description: `The exact size of the file in bytes, at most ${bytes(PHOTO_LIMITS.maxBytes)}.`,
    },
  },
});

/** The answer of `POST /users/{userId}/photo`. */
const uploadTicketSchema = documented(
  UploadTicket,
  {
    $id: 'UploadTicket',
    description: `A presigned upload straight to storage: POST to \`url\` a multipart/form-data body holding every one of \`fields\` and then the file as the field \`file\`, before \`expiresAt\` (${duration(PHOTO_LIMITS.ticketLifetimeMs)}). Then commit it with \`PUT /users/{userId}/photo\`. An upload not committed is deleted after a day.`,
    properties: { fields: { additionalProperties: { type: 'string' } } },
  },
  'response',
);

/** The body of `PUT /users/{userId}/photo`. */
const photoCommitSchema = documented(PhotoCommitDto, {
  $id: 'PhotoCommit',
  description: 'The upload to make the profile photo.',
  properties: { uploadId: { description: 'From the upload ticket.' } },
});

/** The named schemas of the photo routes. */
export const PHOTO_NAMED_SCHEMAS = [
  photoUploadRequestSchema,
  uploadTicketSchema,
  photoCommitSchema,
] as const;

export const photoRouteSchemas = {
  startPhotoUpload: {
    operationId: 'startPhotoUpload',
    summary: 'Get a ticket to upload a profile photo straight to storage',
    description: `The owner (or an administrator) gets a presigned upload for one JPEG, PNG or WebP of at most ${bytes(PHOTO_LIMITS.maxBytes)}, valid for ${duration(PHOTO_LIMITS.ticketLifetimeMs)}. Upload the file with it, then commit it with \`PUT /users/{userId}/photo\`. Suspended accounts get 403 ACCOUNT_SUSPENDED.`,
    tags: ['photos'],
    params: userIdParams,
    body: { $ref: 'PhotoUploadRequest#' },
    response: {
      201: {
        description: 'The upload ticket.',
        headers: { 'Cache-Control': CACHE_CONTROL_HEADER },
        content: { 'application/json': { schema: { $ref: 'UploadTicket#' } } },
      },
      ...problems(400, 401, 403, 404, 413, 414, 415, 429, 503),
    },
  },
  commitPhoto: {
    operationId: 'commitPhoto',
    summary: 'Make an upload the profile photo',
    description: `The upload is decoded whatever it was declared as: anything but a still JPEG, PNG or WebP of at most ${megapixels(PHOTO_LIMITS.maxPixels)} (a JPEG of at most ${PHOTO_LIMITS.maxJpegScans} scans), or a file that cannot be decoded within ${duration(PHOTO_LIMITS.decodeCpuMs)} of CPU time and ${bytes(PHOTO_LIMITS.decodeMemoryBytes)}, is 422 PHOTO_INVALID, and the upload is deleted (as it is when the profile is gone or suspended). The photo is turned upright, stripped of all metadata, and stored as ${list(PHOTO_LIMITS.renditionSizes)} px square WebP renditions under new URLs; the previous photo's are deleted. An unknown, expired or another user's upload is 422 UPLOAD_NOT_FOUND. With If-Match, only if the profile has not changed since that ETag (412 keeps the upload for a retry). When photos are being processed at capacity (or the service is too busy to finish a decode in time): 503 PHOTO_PROCESSING_BUSY with Retry-After, the upload kept.`,
    tags: ['photos'],
    params: userIdParams,
    headers: ifMatch,
    body: { $ref: 'PhotoCommit#' },
    response: {
      200: profileAnswer('The profile with its new photo.'),
      ...problems(400, 401, 403, 404, 409, 412, 413, 414, 415, 422, 429, 503),
    },
  },
  removePhoto: {
    operationId: 'removePhoto',
    summary: 'Remove the profile photo',
    description:
      'Removes the photo and deletes its renditions; a profile without a photo is left as it is. With If-Match, only if the profile has not changed since that ETag.',
    tags: ['photos'],
    params: userIdParams,
    headers: ifMatch,
    response: {
      204: {
        type: 'null',
        description: 'The profile has no photo.',
        headers: { ETag: ETAG_HEADER, 'Cache-Control': CACHE_CONTROL_HEADER },
      },
      ...problems(400, 401, 403, 404, 409, 412, 414, 429, 503),
    },
  },
} as const;
