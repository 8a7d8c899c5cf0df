import { parseSuspensionRequest, SUSPENSION_LIMITS, SUSPENSION_REASONS } from '@userprofile/domain';
import { IsIn, IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { MUST_BE_STRING } from './dto';
import { problemsOf } from './validation';

/** `PUT /users/{userId}/suspension`: why, and until when. */
export class SuspensionRequestDto {
  @IsIn(SUSPENSION_REASONS, { message: `must be one of ${SUSPENSION_REASONS.join(', ')}` })
  reason!: string;
  @IsOptional()
  @IsString(MUST_BE_STRING)
  @MaxLength(SUSPENSION_LIMITS.noteMaxLength, {
    message: `must be at most ${SUSPENSION_LIMITS.noteMaxLength} characters`,
  })
  note?: string;
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be a UTC date-time, e.g. 2027-01-01T00:00:00Z' })
  until?: string;
}

/** The domain's problems with a suspension body whose shape the edge refused (see `DOMAIN_PROBLEMS`). */
export const suspensionProblems = (now: Date) => (body: object) =>
  problemsOf(() => parseSuspensionRequest(body, now));
