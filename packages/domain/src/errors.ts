/** One problem with one input field, e.g. `{ field: 'email', message: 'must be a valid e-mail address' }`. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/** Stable, documented codes: clients may switch on them. */
export type DomainErrorCode =
  | 'VALIDATION_FAILED'
  | 'PROFILE_NOT_FOUND'
  | 'PROFILE_EXISTS'
  | 'EMAIL_TAKEN'
  | 'USERNAME_TAKEN'
  | 'VERSION_CONFLICT'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'FORBIDDEN'
  | 'ACCOUNT_SUSPENDED'
  | 'STORAGE_UNAVAILABLE'
  | 'PHOTO_INVALID'
  | 'PHOTO_PROCESSING_BUSY'
  | 'UPLOAD_NOT_FOUND'
  | 'WEBHOOK_NOT_FOUND';

/** Base of every expected failure of the domain. Transports map `code` to their own status. */
export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ValidationFailed extends DomainError {
  readonly code = 'VALIDATION_FAILED';

  constructor(readonly errors: readonly FieldProblem[]) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join('; '));
  }

  static of(field: string, message: string): ValidationFailed {
    return new ValidationFailed([{ field, message }]);
  }
}

export class ProfileNotFound extends DomainError {
  readonly code = 'PROFILE_NOT_FOUND';

  constructor(
    readonly userId: string,
    options?: { cause?: unknown },
  ) {
    super(`No profile with id ${userId}.`, options);
  }
}

export class ProfileAlreadyExists extends DomainError {
  readonly code = 'PROFILE_EXISTS';

  constructor(
    readonly userId: string,
    options?: { cause?: unknown },
  ) {
    super(`A profile with id ${userId} already exists.`, options);
  }
}

export class EmailAlreadyTaken extends DomainError {
  readonly code = 'EMAIL_TAKEN';

  constructor(
    readonly email: string,
    options?: { cause?: unknown },
  ) {
    super('This e-mail address is already used by another profile.', options);
  }
}

export class UsernameTaken extends DomainError {
  readonly code = 'USERNAME_TAKEN';

  constructor(
    readonly username: string,
    options?: { cause?: unknown },
  ) {
    super('This username is already used by another profile.', options);
  }
}

export class VersionConflict extends DomainError {
  readonly code = 'VERSION_CONFLICT';

  constructor(
    readonly userId: string,
    options?: { cause?: unknown },
  ) {
    super(`Profile ${userId} was changed by someone else; read it again and retry.`, options);
  }
}

export class StorageUnavailable extends DomainError {
  readonly code = 'STORAGE_UNAVAILABLE';

  constructor(options?: { cause?: unknown }) {
    super('The profile store is temporarily unavailable.', options);
  }
}

/** The caller is known but may not do this (a non-admin listing every profile, say). */
export class Forbidden extends DomainError {
  readonly code = 'FORBIDDEN';
}

/** A field of the request that this caller may not write (an owner's `appMetadata`). */
export class FieldForbidden extends Forbidden {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The caller's account is suspended by an administrator: they may only read or delete their
 * profile. Says until when (absent: until lifted) and why, as the suspension has it.
 */
export class AccountSuspended extends DomainError {
  readonly code = 'ACCOUNT_SUSPENDED';

  constructor(
    readonly userId: string,
    readonly until?: string,
  ) {
    super(
      until === undefined
        ? 'This account is suspended until an administrator lifts it: it may read and delete its profile, and nothing else.'
        : `This account is suspended until ${until}: it may read and delete its profile, and nothing else.`,
    );
  }
}

/** An uploaded photo that cannot become a profile photo: not an image, animated, too large. */
export class PhotoInvalid extends DomainError {
  readonly code = 'PHOTO_INVALID';

  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`The upload is not a usable photo: ${reason}.`, options);
  }
}

/**
 * Photos are being processed at the processor's capacity: the commit was not started, the upload
 * is kept, and the same commit may be retried shortly.
 */
export class PhotoProcessingBusy extends DomainError {
  readonly code = 'PHOTO_PROCESSING_BUSY';

  constructor(options?: { cause?: unknown }) {
    super('Too many photos are being processed right now; retry the commit shortly.', options);
  }
}

/** No upload with this id for this profile: never made, expired, or another user's. */
export class UploadNotFound extends DomainError {
  readonly code = 'UPLOAD_NOT_FOUND';

  constructor(readonly uploadId: string) {
    super(
      'No upload with this id for this profile: it was never uploaded, has expired, or belongs to someone else.',
    );
  }
}

/** An idempotency key was sent again with a different request. */
export class IdempotencyKeyReused extends DomainError {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';

  constructor(readonly key: string) {
    super('This idempotency key was already used with a different request.');
  }
}

/** Raised by a repository when a create's idempotency key is already recorded (a concurrent retry). */
export class IdempotencyKeyInUse extends Error {
  constructor(
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`Idempotency key ${key} is already recorded.`, options);
    this.name = 'IdempotencyKeyInUse';
  }
}

/** No webhook endpoint with this id. */
export class WebhookNotFound extends DomainError {
  readonly code = 'WEBHOOK_NOT_FOUND';

  constructor(readonly webhookId: string) {
    super(`No webhook endpoint with id ${webhookId}.`);
  }
}
