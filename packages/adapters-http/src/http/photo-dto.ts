import {
  parsePhotoCommit,
  parsePhotoUploadRequest,
  PHOTO_CONTENT_TYPES,
  PHOTO_LIMITS,
  PROFILE_PATTERNS,
} from '@userprofile/domain';
import { IsIn, IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { MUST_BE_STRING } from './dto';
import { problemsOf } from './validation';
import { bytes } from './prose';

/** `POST /users/{userId}/photo`: what the client is about to upload. */
export class PhotoUploadRequestDto {
  @IsIn(PHOTO_CONTENT_TYPES, { message: `must be one of ${PHOTO_CONTENT_TYPES.join(', ')}` })
  contentType!: string;
  @IsInt({ message: 'must be a whole number of bytes' })
  @Min(1, { message: 'must be at least 1 byte' })
  @Max(PHOTO_LIMITS.maxBytes, {
    message: `must be at most ${PHOTO_LIMITS.maxBytes} bytes (${bytes(PHOTO_LIMITS.maxBytes)})`,
  })
  contentLength!: number;
}

/** `PUT /users/{userId}/photo`: the upload to make the profile's photo. */
export class PhotoCommitDto {
  @IsString(MUST_BE_STRING)
  @Matches(PROFILE_PATTERNS.id, { message: 'must be the uploadId of an upload ticket' })
  uploadId!: string;
}

/** The domain's problems with a photo body whose shape the edge refused (see `DOMAIN_PROBLEMS`). */
export const PHOTO_DOMAIN_PROBLEMS = {
  upload: (body: object) => problemsOf(() => parsePhotoUploadRequest(body)),
  commit: (body: object) => problemsOf(() => parsePhotoCommit(body)),
};
