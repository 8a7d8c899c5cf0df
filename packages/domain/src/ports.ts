import type { FieldProblem } from './errors';
import type { ChangeAuthor } from './events/change-event';
import type { JsonObject } from './json';
import type { MetadataTier } from './profile-fields';
import type { PhotoUploadRequest, Rendition, RenditionSize, UploadTicket } from './photo';
import type { SuspensionRecord } from './suspension';
import type { UserProfile } from './user-profile';

/** One page of a newest-first listing. `cursor` is opaque; absent on the last page. */
export interface Page {
  readonly items: readonly UserProfile[];
  readonly cursor?: string;
}

export interface PageRequest {
  /**
   * At most this many items. Without `active`, exactly this many while that many remain; with
   * it, a page may hold fewer (even none) and still have a cursor, so that one request reads a
   * bounded number of items however rare the matches are.
   */
  readonly limit: number;
  /** The `cursor` of the previous page; a malformed or foreign one is a `ValidationFailed`. */
  readonly cursor?: string;
  /** Only profiles with this `active` flag. */
  readonly active?: boolean;
}

/**
 * Where profiles live. Shaped for a key-value store with conditional writes (DynamoDB): every
 * write is conditional and atomic, reads are by key, pages are key-based, never offsets.
 * Implementations translate their own failures into the domain's errors.
 */
export interface UserProfileRepository {
  /** The profile with this id, read strongly consistently, or `undefined`. */
  get(userId: string): Promise<UserProfile | undefined>;

  /** The profile that owns this (normalised) e-mail address, seen at once after a write. */
  findByEmail(email: string): Promise<UserProfile | undefined>;

  /**
   * Stores a new profile and claims its e-mail address in one atomic write, together with the
   * idempotency record when one is given (so a create and its record exist both or neither).
   * @throws EmailAlreadyTaken when another profile owns the address.
   * @throws ProfileAlreadyExists when the id is used.
   * @throws IdempotencyKeyInUse when an unexpired record with this key exists.
   * `by` is recorded with the write, for the change feed (which sees only what was stored).
   */
  create(profile: UserProfile, idempotency?: IdempotencyRecord, by?: ChangeAuthor): Promise<void>;

  /** The record of an earlier create with this idempotency key, if it has not expired. */
  findIdempotencyRecord(key: string, now: Date): Promise<IdempotencyRecord | undefined>;

  /**
   * Replaces `previous` by `next` only if the stored version is still `previous.version`; moves the
   * e-mail claim in the same atomic write when the address changes. Never creates. `by` is
   * recorded with the write.
   * @throws ProfileNotFound, VersionConflict, EmailAlreadyTaken
   */
  update(previous: UserProfile, next: UserProfile, by?: ChangeAuthor): Promise<void>;

  /**
   * Deletes the profile, releases its e-mail address and erases the idempotency record of the
   * create that made it (which holds the profile as created), only if the stored version is
   * still `profile.version`. A record whose key has since been reused by another create is kept.
   * `by` (and the time) is recorded with the deletion, as far as storage can keep it.
   * @throws ProfileNotFound, VersionConflict
   */
  delete(profile: UserProfile, by?: ChangeAuthor): Promise<void>;

  /** Profiles newest first (by `createdAt`, then `userId`). */
  list(request: PageRequest): Promise<Page>;

  /** The suspensions of this subject, read strongly consistently, or `undefined`. */
  getSuspensions(userId: string): Promise<SuspensionRecord | undefined>;

  /**
   * `get` and `getSuspensions` of one subject in a single strongly consistent read: what a read
   * of one profile answers with (its standing), at the cost of one request, not two.
   */
  getWithSuspensions(userId: string): Promise<ProfileWithSuspensions>;

  /**
   * Stores `next` only if the stored record is still `previous` (by version; none stored when
   * `previous` is undefined). Profiles are not touched, and deleting one leaves its record.
   * @throws VersionConflict
   */
  saveSuspensions(previous: SuspensionRecord | undefined, next: SuspensionRecord): Promise<void>;

  /**
   * Records whose last suspension is not lifted, most recently suspended first: a superset of
   * those in force (one past its `until` may still be listed; the caller checks the time).
   */
  listSuspended(request: Omit<PageRequest, 'active'>): Promise<SuspensionPage>;

  /**
   * The profile holding this handle (compared regardless of case), seen at once after a write.
   * Handles are claimed like e-mail addresses: `create` and `update` claim a new one and release
   * the old one atomically with the profile, and throw `UsernameTaken` when another holds it.
   */
  findByUsername(username: string): Promise<UserProfile | undefined>;

  /**
   * The profiles among these ids (at most 100) that exist, in any order: a bounded number of
   * reads (one batch per 100 keys), never one read per id.
   */
  getMany(userIds: readonly string[]): Promise<UserProfile[]>;

  /** The suspension records among these subjects (at most 100), as `getMany` reads. */
  getSuspensionsOf(userIds: readonly string[]): Promise<SuspensionRecord[]>;
}

/** A profile and its subject's suspension record, either of which may not exist. */
export interface ProfileWithSuspensions {
  readonly profile?: UserProfile;
  readonly suspensions?: SuspensionRecord;
}

/** One page of suspension records; `cursor` is opaque; absent on the last page. */
export interface SuspensionPage {
  readonly items: readonly SuspensionRecord[];
  readonly cursor?: string;
}

/**
 * The memory of a create made with an idempotency key: what was asked (a fingerprint of the
 * normalised request) and what was answered (the profile as created), until `expiresAt`.
 */
export interface IdempotencyRecord {
  readonly key: string;
  readonly fingerprint: string;
  readonly profile: UserProfile;
  /** ISO-8601 UTC; after it the key may be used again. */
  readonly expiresAt: string;
}

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  /** A new random UUID. */
  newId(): string;
}

/** An upload waiting to be committed: its stored size, and its bytes on demand. */
export interface StoredUpload {
  readonly size: number;
  read(): Promise<Uint8Array>;
}

/**
 * Where photos live: uploads made straight by clients with a presigned ticket (each user's under
 * their own keys, expiring unless committed), and the renditions of committed photos.
 */
export interface PhotoStore {
  /**
   * A presigned upload of exactly the declared type and length (checked by the domain to be at
   * most 5 MiB), to a key of this user and upload alone, writable only until `expiresAt`.
   */
  uploadTicket(
    userId: string,
    uploadId: string,
    request: PhotoUploadRequest,
    expiresAt: Date,
  ): Promise<UploadTicket>;

  /** The upload with this id made for this user, or `undefined`. */
  findUpload(userId: string, uploadId: string): Promise<StoredUpload | undefined>;

  deleteUpload(userId: string, uploadId: string): Promise<void>;

  /** Deletes every upload of this user, committed or not. */
  deleteUploads(userId: string): Promise<void>;

  /** Stores the renditions of a new photo under its id. */
  saveRenditions(photoId: string, renditions: readonly Rendition[]): Promise<void>;

  /** Deletes every rendition of a photo; nothing to delete is not an error. */
  deleteRenditions(photoId: string): Promise<void>;

  /** The ids of the photos whose renditions were all stored before `storedBefore`, each once. */
  renditionIds(storedBefore: Date): AsyncIterable<string>;
}

/** Which photos profiles show: what the orphan sweep must never delete. */
export interface PhotoReferences {
  /** The id of every profile's photo (a full read of the profiles: for a scheduled job only). */
  referencedPhotoIds(): AsyncIterable<string>;
}

/** What an image processor is asked for, and the limits it refuses a file by. */
export interface RenditionOptions {
  readonly sizes: readonly RenditionSize[];
  /** The most pixels (width x height) the file may decode to. */
  readonly maxPixels: number;
  /** The most scans a JPEG may hold (each is another decoding pass). */
  readonly maxJpegScans: number;
}

/** Turns an uploaded file into a photo's renditions, trusting nothing it was told about it. */
export interface ImageProcessor {
  /**
   * Square, centre-cropped, upright WebP renditions without any metadata.
   * @throws PhotoInvalid when the file is not a still image within the limits, or cannot be
   * decoded within the processor's own time and memory budget.
   * @throws PhotoProcessingBusy when the processor has no room for another file now.
   */
  renditions(file: Uint8Array, options: RenditionOptions): Promise<Rendition[]>;
}

/**
 * The JSON Schema declared for each metadata tier (configuration; none by default). A tier's
 * whole value is checked on every write that touches it, never on a read (ADR 0023).
 */
export interface MetadataSchemas {
  /**
   * What is wrong with this value of the tier by its declared schema: every problem (none
   * without a schema), each naming the field by its path from the tier (`metadata.plan`,
   * `appMetadata.roles[0]`) with a message in words.
   */
  problemsOf(tier: MetadataTier, value: JsonObject): FieldProblem[];
}
