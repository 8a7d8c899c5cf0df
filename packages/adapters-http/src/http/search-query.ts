import { LIST_LIMITS, SEARCH_LIMITS } from '@userprofile/domain';
import {
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { MUST_BE_STRING } from './dto';

// The query of `GET /users/search`, validated by this DTO; the document's query parameters are
// generated from it (search-schemas.ts). Which search key is given, and what the terms and dates
// mean, the use case checks (SearchUserProfiles), naming every bad parameter in one answer.

const TERM = {
  message: `must be at most ${SEARCH_LIMITS.termMaxLength} characters`,
};
const LIMIT = { message: `must be an integer from ${LIST_LIMITS.min} to ${LIST_LIMITS.max}` };
const DATE_TIME = {
  message: 'must be an RFC 3339 date-time, e.g. 2026-01-31T12:00:00Z',
};
/** RFC 3339's date-time; the use case also refuses dates that do not exist (30 February). */
const RFC3339 = /^\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(?:\.\d+)?(?:[Zz]|[+-]\d\d:\d\d)$/;

/** `GET /users/search`: exactly one of `name`, `email`, `emailDomain`, `username`. */
export class SearchUsersQueryDto {
  @IsOptional()
  @IsString(MUST_BE_STRING)
  @MaxLength(SEARCH_LIMITS.termMaxLength, TERM)
  name?: string;
  @IsOptional()
  @IsString(MUST_BE_STRING)
  @MaxLength(SEARCH_LIMITS.termMaxLength, TERM)
  email?: string;
  @IsOptional()
  @IsString(MUST_BE_STRING)
  @MaxLength(SEARCH_LIMITS.termMaxLength, TERM)
  emailDomain?: string;
  @IsOptional()
  @IsString(MUST_BE_STRING)
  @MaxLength(SEARCH_LIMITS.termMaxLength, TERM)
  username?: string;
  @IsOptional() @IsBoolean({ message: 'must be true or false' }) active?: boolean;
  @IsOptional() @IsBoolean({ message: 'must be true or false' }) suspended?: boolean;
  @IsOptional() @IsString(MUST_BE_STRING) @Matches(RFC3339, DATE_TIME) createdAfter?: string;
  @IsOptional() @IsString(MUST_BE_STRING) @Matches(RFC3339, DATE_TIME) createdBefore?: string;
  @IsOptional()
  @IsInt(LIMIT)
  @Min(LIST_LIMITS.min, LIMIT)
  @Max(LIST_LIMITS.max, LIMIT)
  limit?: number;
  @IsOptional()
  @IsString(MUST_BE_STRING)
  @MaxLength(512, { message: 'is far too long' })
  lastKey?: string;
}
