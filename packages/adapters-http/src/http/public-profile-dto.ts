import { USERNAME_RULES, type JsonObject } from '@userprofile/domain';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  ValidateNested,
} from 'class-validator';
import { ProfilePhoto } from './response-dto';

// The public profiles' answers, defined once: the document's schemas are generated from them
// (public-profile-schemas.ts). Loaded by the document's path only, as response-dto.ts is.

/** What any signed-in user sees of a profile. */
export class PublicProfile {
  @IsUUID() userId!: string;
  @IsOptional() @IsString() @Matches(USERNAME_RULES.pattern) username?: string;
  @IsString() displayName!: string;
  @IsOptional() @ValidateNested() @Type(() => ProfilePhoto) photo?: ProfilePhoto;
  @IsOptional() @IsObject() publicMetadata?: JsonObject;
}

export class PublicProfiles {
  @IsArray() @ValidateNested({ each: true }) @Type(() => PublicProfile) profiles!: PublicProfile[];
  @IsArray() @IsString({ each: true }) missing!: string[];
}
