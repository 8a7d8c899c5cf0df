import { LIST_LIMITS, PROFILE_LIMITS, PROFILE_PATTERNS } from '@userprofile/domain';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { LocaleField, TierField, TimeZoneField, UsernameField } from './profile-fields-dto';

// One definition per request body: the edge checks shape, type and the domain's own limits and
// patterns (imported, never copied); the OpenAPI schemas are generated from these classes
// (schemas.ts). The domain checks the meaning again (trimming first, e-mail syntax, visible
// characters, metadata), and a refused body gets both kinds of problem in one answer.
export const MUST_BE_STRING = { message: 'must be a string' };
const MUST_BE_OBJECT = { message: 'must be a JSON object' };
const MUST_BE_BOOLEAN = { message: 'must be true or false' };
const TOO_LONG = { message: 'is far too long' };
const atMost = (n: number) => ({ message: `must be at most ${n} characters` });
const NOT_EMPTY = { message: 'must not be empty' };
const E164 = { message: 'must be in E.164 form, e.g. +14155550123' };

export class CreateUserProfileDto {
  // Required by the domain, unless the caller's verified e-mail stands in for it (jwt mode).
  @IsOptional()
  @IsString(MUST_BE_STRING)
  @MaxLength(PROFILE_LIMITS.emailMaxLength, atMost(PROFILE_LIMITS.emailMaxLength))
  email?: string;
  @IsString(MUST_BE_STRING)
  @MinLength(1, NOT_EMPTY)
  @MaxLength(PROFILE_LIMITS.nameMaxLength, atMost(PROFILE_LIMITS.nameMaxLength))
  firstName!: string;
  @IsString(MUST_BE_STRING)
  @MinLength(1, NOT_EMPTY)
  @MaxLength(PROFILE_LIMITS.nameMaxLength, atMost(PROFILE_LIMITS.nameMaxLength))
  lastName!: string;
  @IsOptional()
  @IsString(MUST_BE_STRING)
  @Matches(PROFILE_PATTERNS.phoneNumber, E164)
  phoneNumber?: string | null;
  @IsOptional() @IsObject(MUST_BE_OBJECT) metadata?: Record<string, unknown> | null;
  @UsernameField() username?: string | null;
  @LocaleField() locale?: string | null;
  @TimeZoneField() timeZone?: string | null;
  @TierField() appMetadata?: Record<string, unknown> | null;
  @TierField() publicMetadata?: Record<string, unknown> | null;
}

/** `PUT` and `PATCH` bodies: every field optional; `null` means remove (the domain decides where). */
export class ChangeUserProfileDto {
  @IsOptional()
  @IsString(MUST_BE_STRING)
  @MaxLength(PROFILE_LIMITS.emailMaxLength, atMost(PROFILE_LIMITS.emailMaxLength))
  email?: string;
  @IsOptional()
  @IsString(MUST_BE_STRING)
  @MinLength(1, NOT_EMPTY)
  @MaxLength(PROFILE_LIMITS.nameMaxLength, atMost(PROFILE_LIMITS.nameMaxLength))
  firstName?: string;
  @IsOptional()
  @IsString(MUST_BE_STRING)
  @MinLength(1, NOT_EMPTY)
  @MaxLength(PROFILE_LIMITS.nameMaxLength, atMost(PROFILE_LIMITS.nameMaxLength))
  lastName?: string;
  @IsOptional()
  @IsString(MUST_BE_STRING)
  @Matches(PROFILE_PATTERNS.phoneNumber, E164)
  phoneNumber?: string | null;
  @IsOptional() @IsObject(MUST_BE_OBJECT) metadata?: Record<string, unknown> | null;
  @UsernameField() username?: string | null;
  @LocaleField() locale?: string | null;
  @TimeZoneField() timeZone?: string | null;
  @TierField() appMetadata?: Record<string, unknown> | null;
  @TierField() publicMetadata?: Record<string, unknown> | null;
  @IsOptional() @IsBoolean(MUST_BE_BOOLEAN) active?: boolean;
  @IsOptional() @IsBoolean(MUST_BE_BOOLEAN) blocked?: boolean;
}

const LIMIT = { message: `must be an integer from ${LIST_LIMITS.min} to ${LIST_LIMITS.max}` };

/** `GET /users`: its query, once `queryValues` has read the numbers and booleans in it. */
export class ListUsersQueryDto {
  @IsOptional()
  @IsInt(LIMIT)
  @Min(LIST_LIMITS.min, LIMIT)
  @Max(LIST_LIMITS.max, LIMIT)
  limit?: number;
  @IsOptional() @IsString(MUST_BE_STRING) @MaxLength(512, TOO_LONG) lastKey?: string;
  @IsOptional()
  @IsString(MUST_BE_STRING)
  @MaxLength(PROFILE_LIMITS.emailMaxLength, atMost(PROFILE_LIMITS.emailMaxLength))
  email?: string;
  @IsOptional() @IsBoolean(MUST_BE_BOOLEAN) active?: boolean;
  @IsOptional() @IsIn([true], { message: 'may only be true' }) suspended?: boolean;
}
