import type { FieldProblem } from './errors';
import { ValidationFailed } from './errors';
import { isPlainObject } from './json';
import { isUserId } from './profile-rules';

/** The image types a photo may be uploaded as (the content is checked, never the declared type). */
export const PHOTO_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PhotoContentType = (typeof PHOTO_CONTENT_TYPES)[number];

export const PHOTO_LIMITS = {
  /** The largest upload the signed upload policy admits: 5 MiB. */
  maxBytes: 5 * 1024 * 1024,
  /** How long an upload ticket may be used: 10 minutes. */
  ticketLifetimeMs: 10 * 60 * 1000,
  /**
   * The most pixels a photo may decode to (width x height): 40 megapixels, above every phone
   * camera's photo and far below what a decompression bomb unpacks to.
   */
  maxPixels: 40_000_000,
  /**
   * The most scans a JPEG may hold. A progressive JPEG is decoded once per scan; libjpeg's own
   * progression scripts use 10 (colour) and at most 18 (CMYK), so more is an attack, not a photo.
   */
  maxJpegScans: 20,
  /**
   * The CPU time one photo may take to decode and render: 5 seconds, about four times what the
   * costliest allowed photo (40 MP, 16-bit PNG) takes on one core.
   */
  decodeCpuMs: 5_000,
  /** The memory the decoder may use for one photo (a 40 MP 16-bit PNG decoded whole is 320 MB). */
  decodeMemoryBytes: 640 * 1024 * 1024,
  /**
   * How old unreferenced renditions must be before the sweep deletes them: an hour, far longer
   * than a commit takes between storing renditions and writing the profile.
   */
  orphanGraceMs: 60 * 60 * 1000,
  /** Edge lengths of the square renditions, in pixels. */
  renditionSizes: [64, 256, 1024] as const,
} as const;

export type RenditionSize = (typeof PHOTO_LIMITS.renditionSizes)[number];

/** A profile's photo: the id of its renditions (new for every photo) and when it was set. */
export interface ProfilePhoto {
  readonly id: string;
  /** ISO-8601 UTC. */
  readonly updatedAt: string;
}

/** What a client asks to upload. */
export interface PhotoUploadRequest {
  readonly contentType: PhotoContentType;
  readonly contentLength: number;
}

/**
 * A presigned upload straight to storage: `method` to `url` as a multipart form holding `fields`
 * and then the file, until `expiresAt` (ISO-8601 UTC). Only this ticket can write its upload.
 */
export interface UploadTicket {
  readonly uploadId: string;
  readonly url: string;
  readonly method: 'POST';
  readonly fields: Readonly<Record<string, string>>;
  readonly expiresAt: string;
}

/** One square WebP rendition of a photo. */
export interface Rendition {
  readonly size: RenditionSize;
  readonly bytes: Uint8Array;
}

/** Reads and checks `{"contentType", "contentLength"}`; every problem at once. */
export function parsePhotoUploadRequest(input: unknown): PhotoUploadRequest {
  if (!isPlainObject(input)) throw ValidationFailed.of('', 'the body must be a JSON object');
  const problems: FieldProblem[] = unknownFields(input, ['contentType', 'contentLength']);
  const { contentType, contentLength } = input;
  if (!PHOTO_CONTENT_TYPES.includes(contentType as PhotoContentType)) {
    problems.push({
      field: 'contentType',
      message: `must be one of ${PHOTO_CONTENT_TYPES.join(', ')}`,
    });
  }
  if (
    typeof contentLength !== 'number' ||
    !Number.isInteger(contentLength) ||
    contentLength < 1 ||
    contentLength > PHOTO_LIMITS.maxBytes
  ) {
    problems.push({
      field: 'contentLength',
      message: `must be a whole number of bytes from 1 to ${PHOTO_LIMITS.maxBytes} (${PHOTO_LIMITS.maxBytes / 2 ** 20} MiB)`,
    });
  }
  if (problems.length > 0) throw new ValidationFailed(problems);
  return { contentType: contentType as PhotoContentType, contentLength: contentLength as number };
}

/** Reads and checks `{"uploadId"}`. */
export function parsePhotoCommit(input: unknown): { uploadId: string } {
  if (!isPlainObject(input)) throw ValidationFailed.of('', 'the body must be a JSON object');
  const problems: FieldProblem[] = unknownFields(input, ['uploadId']);
  const { uploadId } = input;
  if (typeof uploadId !== 'string' || !isUserId(uploadId)) {
    problems.push({ field: 'uploadId', message: 'must be the uploadId of an upload ticket' });
  }
  if (problems.length > 0) throw new ValidationFailed(problems);
  return { uploadId: uploadId as string };
}

function unknownFields(body: Record<string, unknown>, known: readonly string[]): FieldProblem[] {
  return Object.keys(body)
    .filter((field) => !known.includes(field))
    .map((field) => ({ field, message: 'is not a known field' }));
}
