import { CHANGE_EVENT_TYPES, WEBHOOK_LIMITS, type ChangeEventType } from '@userprofile/domain';
import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { MUST_BE_STRING } from './dto';

// Webhook administration: the request body and the answers, defined once.

/** `POST /webhooks`: where to send, and which types (all when absent). */
export class WebhookRequestDto {
  @IsString(MUST_BE_STRING)
  @MaxLength(WEBHOOK_LIMITS.urlMaxLength, {
    message: `must be at most ${WEBHOOK_LIMITS.urlMaxLength} characters`,
  })
  url!: string;
  @IsOptional()
  @IsArray({ message: 'must be a list of event types' })
  @ArrayNotEmpty({ message: 'must not be empty (leave it out for every type)' })
  @IsIn(CHANGE_EVENT_TYPES, {
    each: true,
    message: `must be among ${CHANGE_EVENT_TYPES.join(', ')}`,
  })
  types?: ChangeEventType[];
}

/** An endpoint, without its secrets. */
export class Webhook {
  @IsUUID() id!: string;
  @IsString() url!: string;
  @IsOptional() @IsArray() @IsIn(CHANGE_EVENT_TYPES, { each: true }) types?: ChangeEventType[];
  @IsIn(['enabled', 'disabled', 'failing']) state!: 'enabled' | 'disabled' | 'failing';
  @IsISO8601() createdAt!: string;
}

/** An endpoint and its new signing secret: answered once, on registration and rotation. */
export class WebhookWithSecret {
  @ValidateNested() @Type(() => Webhook) webhook!: Webhook;
  @IsString() secret!: string;
}

export class WebhookList {
  @IsArray() @ValidateNested({ each: true }) @Type(() => Webhook) webhooks!: Webhook[];
}
