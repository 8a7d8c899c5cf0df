import { PUBLIC_PROFILE_LIMITS, USERNAME_RULES } from '@userprofile/domain';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { MUST_BE_STRING } from './dto';

// The query of `GET /users/public`, validated by this DTO; the document's query parameters are
// generated from it (public-profile-schemas.ts).

/** A UUID is 36 characters; a comma between each. */
const IDS_MAX_LENGTH = PUBLIC_PROFILE_LIMITS.maxIds * 37;

/** `GET /users/public`: either `ids` or `username`. */
export class PublicProfilesQueryDto {
  @IsOptional()
  @IsString(MUST_BE_STRING)
  @MaxLength(IDS_MAX_LENGTH, {
    message: `must name 1 to ${PUBLIC_PROFILE_LIMITS.maxIds} ids`,
  })
  ids?: string;
  @IsOptional()
  @IsString(MUST_BE_STRING)
  @Matches(USERNAME_RULES.pattern, {
    message: `must be ${USERNAME_RULES.minLength} to ${USERNAME_RULES.maxLength} ASCII letters, digits or underscores`,
  })
  username?: string;
}
