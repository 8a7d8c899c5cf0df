import {
  PROFILE_LIMITS,
  PROFILE_PATTERNS,
  SUSPENSION_LIMITS,
  SUSPENSION_REASONS,
  USERNAME_RULES,
  type JsonObject,
  type SuspensionReason,
} from '@userprofile/domain';
import type { UploadTicket as TicketOfTheDomain } from '@userprofile/domain';
import { PROBLEM_CODES, type ProblemCode } from './problem';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';

// The answers of the API, defined once: the OpenAPI document's response schemas are generated from
// these classes (request-schemas.ts); the controllers answer these types (`ProfileView` and
// `Problem` are these, the list answers a `ProfilePage`; the domain's ticket is held to its class
// at the end of this file, by the compiler), and every answer of the test suites is validated against the document.
// Loaded at run time by the document's path only.

/** The URLs of a photo's renditions, by edge length in pixels. */
export class RenditionUrls {
  @IsUrl() '64'!: string;
  @IsUrl() '256'!: string;
  @IsUrl() '1024'!: string;
}

export class ProfilePhoto {
  @ValidateNested() @Type(() => RenditionUrls) urls!: RenditionUrls;
  @IsISO8601() updatedAt!: string;
}

/** One suspension of a subject: why, by whom, when, until when, and how it ended. */
export class Suspension {
  @IsIn(SUSPENSION_REASONS) reason!: SuspensionReason;
  @IsOptional() @IsString() @MaxLength(SUSPENSION_LIMITS.noteMaxLength) note?: string;
  @IsOptional() @IsISO8601() until?: string;
  @IsString() suspendedBy!: string;
  @IsISO8601() suspendedAt!: string;
  @IsOptional() @IsString() liftedBy?: string;
  @IsOptional() @IsISO8601() liftedAt?: string;
}

/** A subject's suspensions, oldest first. */
export class SuspensionHistory {
  @IsUUID() userId!: string;
  @IsArray() @ValidateNested({ each: true }) @Type(() => Suspension) suspensions!: Suspension[];
}

export class UserProfile {
  @IsUUID() userId!: string;
  @IsString() @MaxLength(PROFILE_LIMITS.emailMaxLength) email!: string;
  @IsString() @MinLength(1) @MaxLength(PROFILE_LIMITS.nameMaxLength) firstName!: string;
  @IsString() @MinLength(1) @MaxLength(PROFILE_LIMITS.nameMaxLength) lastName!: string;
  @IsOptional() @IsString() @Matches(PROFILE_PATTERNS.phoneNumber) phoneNumber?: string;
  @IsOptional() @IsString() @Matches(USERNAME_RULES.pattern) username?: string;
  @IsOptional() @IsString() locale?: string;
  @IsOptional() @IsString() timeZone?: string;
  @IsOptional() @IsObject() metadata?: JsonObject;
  @IsOptional() @IsObject() appMetadata?: JsonObject;
  @IsOptional() @IsObject() publicMetadata?: JsonObject;
  @IsBoolean() active!: boolean;
  @IsBoolean() blocked!: boolean;
  @IsOptional() @ValidateNested() @Type(() => Suspension) suspension?: Suspension;
  @IsOptional() @ValidateNested() @Type(() => ProfilePhoto) photo?: ProfilePhoto;
  @IsISO8601() emailChangedAt!: string;
  @IsISO8601() createdAt!: string;
  @IsISO8601() updatedAt!: string;
  @IsInt() @Min(1) version!: number;
}

export class ProfilePage {
  @IsArray() @ValidateNested({ each: true }) @Type(() => UserProfile) users!: UserProfile[];
  @IsInt() @Min(0) count!: number;
  @IsOptional() @IsString() lastKey?: string;
}

export class UploadTicket {
  @IsUUID() uploadId!: string;
  @IsUrl({ require_tld: false }) url!: string;
  @IsIn(['POST']) method!: 'POST';
  @IsObject() fields!: Record<string, string>;
  @IsISO8601() expiresAt!: string;
}

/** One problem with one field of a request. */
export class FieldProblem {
  @IsString() field!: string;
  @IsString() message!: string;
}

/** RFC 9457 problem details, with this API's stable code. */
export class Problem {
  @IsString() type!: string;
  @IsString() title!: string;
  @IsInt() status!: number;
  @IsString() detail!: string;
  @IsIn(PROBLEM_CODES) code!: ProblemCode;
  @IsOptional() @IsString() instance?: string;
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => FieldProblem)
  errors?: FieldProblem[];
  @IsOptional() @IsISO8601() until?: string;
}

/** Compiles only when A and B are the same shape, each assignable to the other. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Holds<T extends true> = T;
// The domain's ticket is what the document says (pnpm typecheck fails if not); the controllers
// declare these classes as their answers' types.
type _Answers = Holds<Same<TicketOfTheDomain, UploadTicket>>;
