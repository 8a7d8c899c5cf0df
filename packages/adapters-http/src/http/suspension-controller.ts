import type { Clock, ManageSuspensions, Suspension } from '@userprofile/domain';
import type { FastifyReply } from 'fastify';
import { validateDto } from './validation';
import { requireMediaType } from './media-type';
import { SuspensionRequestDto, suspensionProblems } from './suspension-dto';
import { targetOf, type WithId } from './user-profile-controller';

/**
 * An administrator's suspensions of a subject (`/users/{userId}/suspension`, `.../suspensions`):
 * the record is the subject's, so these answer whether or not the profile exists.
 */
export class SuspensionController {
  constructor(
    private readonly suspensions: ManageSuspensions,
    private readonly clock: Clock,
  ) {}

  /** `PUT /users/{userId}/suspension`: suspends now, replacing one in force. */
  async suspend(request: WithId): Promise<Suspension> {
    requireMediaType(request, ['application/json']);
    const { actor, userId } = targetOf(request);
    await validateDto(
      SuspensionRequestDto,
      request.body,
      'body',
      suspensionProblems(this.clock.now()),
    );
    return this.suspensions.suspend(actor, userId, request.body);
  }

  /** `DELETE /users/{userId}/suspension`: lifts the suspension in force, if any. */
  async lift(request: WithId, reply: FastifyReply): Promise<void> {
    const { actor, userId } = targetOf(request);
    await this.suspensions.lift(actor, userId);
    reply.status(204);
  }

  /** `GET /users/{userId}/suspensions`: every suspension of the subject, oldest first. */
  async history(request: WithId): Promise<{ userId: string; suspensions: readonly Suspension[] }> {
    const { actor, userId } = targetOf(request);
    return { userId, suspensions: await this.suspensions.history(actor, userId) };
  }
}
