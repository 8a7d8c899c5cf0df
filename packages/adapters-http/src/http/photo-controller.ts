import type {
  CommitPhoto,
  DeleteUserProfile,
  RemovePhoto,
  StartPhotoUpload,
  UploadTicket,
} from '@userprofile/domain';
import type { FastifyReply } from 'fastify';
import { validateDto } from './validation';
import { PHOTO_DOMAIN_PROBLEMS, PhotoCommitDto, PhotoUploadRequestDto } from './photo-dto';
import { etagOf, expectedVersionFrom } from './etag';
import { requireMediaType } from './media-type';
import type { ProfilePresenter, ProfileView } from './profile-view';
import { targetOf, type WithId } from './user-profile-controller';

/**
 * The operations that touch photo storage: a photo's upload ticket, commit and removal, and the
 * deletion of a profile (which deletes its photo). Only processes that can reach the photo
 * store serve them: the Lambda functions of the other routes never load S3 or sharp.
 */
export class PhotoController {
  constructor(
    private readonly startUpload: StartPhotoUpload,
    private readonly commit: CommitPhoto,
    private readonly removeThePhoto: RemovePhoto,
    private readonly deleteUserProfile: DeleteUserProfile,
    private readonly present: ProfilePresenter,
  ) {}

  /** `POST /users/{userId}/photo`: a ticket to upload straight to storage. */
  async startPhotoUpload(request: WithId, reply: FastifyReply): Promise<UploadTicket> {
    requireMediaType(request, ['application/json']);
    await validateDto(PhotoUploadRequestDto, request.body, 'body', PHOTO_DOMAIN_PROBLEMS.upload);
    const { actor, userId } = targetOf(request);
    const ticket = await this.startUpload.execute(actor, userId, request.body);
    reply.status(201);
    return ticket;
  }

  /** `PUT /users/{userId}/photo`: the upload becomes the profile's photo. */
  async commitPhoto(request: WithId, reply: FastifyReply): Promise<ProfileView> {
    requireMediaType(request, ['application/json']);
    await validateDto(PhotoCommitDto, request.body, 'body', PHOTO_DOMAIN_PROBLEMS.commit);
    const { actor, userId } = targetOf(request);
    const profile = await this.commit.execute(
      actor,
      userId,
      request.body,
      expectedVersionFrom(request.headers['if-match']),
    );
    reply.header('etag', etagOf(profile));
    return this.present(profile);
  }

  /** `DELETE /users/{userId}/photo`. */
  async removePhoto(request: WithId, reply: FastifyReply): Promise<void> {
    const { actor, userId } = targetOf(request);
    const profile = await this.removeThePhoto.execute(
      actor,
      userId,
      expectedVersionFrom(request.headers['if-match']),
    );
    reply.header('etag', etagOf(profile)).status(204);
  }

  /**
   * `DELETE /users/{userId}` (operation `deleteProfile`): the profile, its photo and its uploads.
   * Here, not in the profile controller, because it deletes from photo storage too.
   */
  async deleteProfile(request: WithId, reply: FastifyReply): Promise<void> {
    const { actor, userId } = targetOf(request);
    const { cleanupFailure } = await this.deleteUserProfile.execute(
      actor,
      userId,
      expectedVersionFrom(request.headers['if-match']),
    );
    // The profile is gone whatever storage says; what is left is swept later.
    if (cleanupFailure) request.log.warn({ err: cleanupFailure }, 'PHOTO_CLEANUP_DEFERRED');
    reply.status(204);
  }
}
