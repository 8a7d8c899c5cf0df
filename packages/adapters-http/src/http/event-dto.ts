import { CHANGE_EVENT_TYPES, EVENT_PAGE_LIMITS, type ChangeEventType } from '@userprofile/domain';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { MUST_BE_STRING } from './dto';

// The change feed's query strings and answers, defined once: validation, the controller's types
// and the OpenAPI document's schemas.
const LIMIT = {
  message: `must be an integer from ${EVENT_PAGE_LIMITS.min} to ${EVENT_PAGE_LIMITS.max}`,
};
const TOO_LONG = { message: 'is far too long' };

/** `GET /events`: where to go on from, which types, how many. */
export class FeedQueryDto {
  @IsOptional()
  @IsInt(LIMIT)
  @Min(EVENT_PAGE_LIMITS.min, LIMIT)
  @Max(EVENT_PAGE_LIMITS.max, LIMIT)
  limit?: number;
  @IsOptional() @IsString(MUST_BE_STRING) @MaxLength(512, TOO_LONG) after?: string;
  @IsOptional() @IsString(MUST_BE_STRING) @MaxLength(512, TOO_LONG) types?: string;
}

/** `GET /users/{userId}/history`: a page of a profile's events. */
export class HistoryQueryDto {
  @IsOptional()
  @IsInt(LIMIT)
  @Min(EVENT_PAGE_LIMITS.min, LIMIT)
  @Max(EVENT_PAGE_LIMITS.max, LIMIT)
  limit?: number;
  @IsOptional() @IsString(MUST_BE_STRING) @MaxLength(512, TOO_LONG) cursor?: string;
}

/** Who made a change. */
export class ChangeActor {
  @IsIn(['owner', 'admin', 'system']) kind!: 'owner' | 'admin' | 'system';
  @IsOptional() @IsString() id?: string;
}

/** One committed change of a profile: ids, times and field names, never values. */
export class ChangeEvent {
  @IsString() id!: string;
  @IsIn(CHANGE_EVENT_TYPES) type!: ChangeEventType;
  @IsISO8601() time!: string;
  @IsUUID() profileId!: string;
  @IsInt() @Min(1) version!: number;
  @ValidateNested() @Type(() => ChangeActor) actor!: ChangeActor;
  @IsArray() @IsString({ each: true }) changed!: string[];
}

/** A page of the feed: always a cursor to go on from, even when nothing is new yet. */
export class EventFeedPage {
  @IsArray() @ValidateNested({ each: true }) @Type(() => ChangeEvent) events!: ChangeEvent[];
  @IsString() cursor!: string;
}

/** A page of a profile's history, newest first; no cursor on the last page. */
export class EventHistoryPage {
  @IsArray() @ValidateNested({ each: true }) @Type(() => ChangeEvent) events!: ChangeEvent[];
  @IsOptional() @IsString() cursor?: string;
}
