import type { GetPublicProfiles, PublicProfile } from '@userprofile/domain';
import { ValidationFailed } from '@userprofile/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { queryValues, validateDto } from './validation';
import { noneMatchHits } from './etag';
import type { ProfileView, RenditionLocator } from './profile-view';
import { PublicProfilesQueryDto } from './public-profile-query';
import { targetOf, type WithId } from './user-profile-controller';

/** A public profile as the API shows it: its photo as the URLs of its renditions. */
export type PublicProfileView = Omit<PublicProfile, 'photo'> & { photo?: ProfileView['photo'] };

export interface PublicProfilesView {
  readonly profiles: readonly PublicProfileView[];
  readonly missing: readonly string[];
}

/**
 * Others may keep a public answer a short while in their own cache (never a shared one), and
 * revalidate it with If-None-Match after.
 */
export const PUBLIC_CACHE_CONTROL = 'private, max-age=60';

/** A strong ETag of an answer's content: public answers have no version of their own. */
const contentTag = (body: unknown) =>
  `"${createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 27)}"`;

/** `GET /users/{userId}/public` and `GET /users/public`: what any signed-in user may see. */
export class PublicProfileController {
  constructor(
    private readonly publicProfiles: GetPublicProfiles,
    private readonly urlsOf: RenditionLocator,
  ) {}

  async one(request: WithId, reply: FastifyReply): Promise<PublicProfileView | undefined> {
    const { actor, userId } = targetOf(request);
    return this.answer(request, reply, this.present(await this.publicProfiles.one(actor, userId)));
  }

  async many(
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<PublicProfilesView | undefined> {
    const { actor } = targetOf(request as WithId);
    const query = await validateDto(PublicProfilesQueryDto, queryValues(request.query), 'query');
    if ((query.ids === undefined) === (query.username === undefined)) {
      throw ValidationFailed.of('ids', 'give either ids or username, not both');
    }
    const found =
      query.ids === undefined
        ? await this.publicProfiles.byUsername(actor, query.username ?? '')
        : await this.publicProfiles.many(
            actor,
            query.ids.split(',').map((id) => id.trim()),
          );
    const body = { profiles: found.profiles.map((p) => this.present(p)), missing: found.missing };
    return this.answer(request, reply, body);
  }

  private answer<T>(request: FastifyRequest, reply: FastifyReply, body: T): T | undefined {
    const etag = contentTag(body);
    reply.header('etag', etag).header('cache-control', PUBLIC_CACHE_CONTROL);
    if (noneMatchHits(request.headers['if-none-match'], etag)) {
      reply.status(304);
      return undefined;
    }
    return body;
  }

  private present(profile: PublicProfile): PublicProfileView {
    const { photo, ...rest } = profile;
    if (!photo) return rest;
    const { publicMetadata, ...named } = rest;
    return {
      ...named,
      photo: { urls: this.urlsOf(photo.id), updatedAt: photo.updatedAt },
      ...(publicMetadata === undefined ? {} : { publicMetadata }),
    };
  }
}
