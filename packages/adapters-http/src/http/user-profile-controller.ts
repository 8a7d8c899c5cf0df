import type {
  CreateUserProfile,
  FindUserProfileByEmail,
  GetUserProfile,
  ListUserProfiles,
  PatchUserProfile,
  UpdateUserProfile,
} from '@userprofile/domain';
import { ownProfileId, ValidationFailed, type Actor } from '@userprofile/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  ChangeUserProfileDto,
  CreateUserProfileDto,
  ListUsersQueryDto,
  MEANING,
  queryValues,
  validateDto,
} from './dto';
import { etagOf, expectedVersionFrom, noneMatchHits } from './etag';
import { requireMediaType } from './media-type';
import type { ProfilePresenter, ProfileView } from './profile-view';
import { IDEMPOTENCY_KEY } from './request-headers';
import type { ProfilePage } from './response-dto';

export type WithId = FastifyRequest<{ Params: { userId: string } }>;

/** The authenticated caller; the user routes' hook always sets it before a handler runs. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new Error('No actor: the authentication hook did not run.');
  return request.actor;
}

/**
 * Runs a use case, naming the fields of its validation problems as the wire does (the domain says
 * `cursor` where the query says `lastKey`, `idempotencyKey` where the header is `Idempotency-Key`).
 */
export async function wireNames<T>(
  names: Record<string, string>,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof ValidationFailed)) throw error;
    throw new ValidationFailed(
      error.errors.map((problem) => ({ ...problem, field: names[problem.field] ?? problem.field })),
    );
  }
}

/** The profile a path names: `me` is the caller's own. */
export function targetOf(request: WithId): { actor: Actor; userId: string } {
  const actor = actorOf(request);
  const { userId } = request.params;
  return { actor, userId: userId === 'me' ? ownProfileId(actor) : userId };
}

/**
 * Translates HTTP to use cases and back. Free of container knowledge: the composition root builds
 * it with a factory binding, so no decorator metadata is needed (esbuild emits none).
 */
export class UserProfileController {
  constructor(
    private readonly createProfile: CreateUserProfile,
    private readonly getProfile: GetUserProfile,
    private readonly findByEmail: FindUserProfileByEmail,
    private readonly listProfiles: ListUserProfiles,
    private readonly updateProfile: UpdateUserProfile,
    private readonly patchProfile: PatchUserProfile,
    private readonly present: ProfilePresenter,
  ) {}

  async create(request: FastifyRequest, reply: FastifyReply): Promise<ProfileView> {
    requireMediaType(request, ['application/json']);
    await validateDto(CreateUserProfileDto, request.body, 'body', MEANING.create);
    const key = request.headers['idempotency-key'];
    if (Array.isArray(key)) throw ValidationFailed.of(IDEMPOTENCY_KEY.name, 'must be given once');
    // The header's format; the domain only bounds the key's length.
    if (key !== undefined && !IDEMPOTENCY_KEY.pattern.test(key)) {
      throw ValidationFailed.of(IDEMPOTENCY_KEY.name, `must be ${IDEMPOTENCY_KEY.rule}`);
    }
    const { profile, replayed } = await wireNames({ idempotencyKey: 'Idempotency-Key' }, () =>
      this.createProfile.executeIdempotently(actorOf(request), request.body, key),
    );
    reply
      .status(201)
      .header('location', `/users/${profile.userId}`)
      .header('etag', etagOf(profile));
    if (replayed) reply.header('idempotent-replayed', 'true');
    return this.present(profile);
  }

  async get(request: WithId, reply: FastifyReply): Promise<ProfileView | undefined> {
    const { actor, userId } = targetOf(request);
    const profile = await this.getProfile.execute(actor, userId);
    const etag = etagOf(profile);
    reply.header('etag', etag);
    if (noneMatchHits(request.headers['if-none-match'], etag)) {
      reply.status(304);
      return undefined;
    }
    return this.present(profile);
  }

  async list(request: FastifyRequest): Promise<ProfilePage> {
    const actor = actorOf(request);
    const query = await validateDto(ListUsersQueryDto, queryValues(request.query), 'query');
    const active = query.active;
    if (query.email !== undefined) {
      if (query.suspended !== undefined) {
        throw ValidationFailed.of('suspended', 'cannot be combined with email');
      }
      if (query.lastKey !== undefined) {
        throw ValidationFailed.of(
          'lastKey',
          'cannot be combined with email, which finds one profile',
        );
      }
      const found = await this.findByEmail.execute(actor, query.email);
      const users =
        found && (active === undefined || found.active === active) ? [this.present(found)] : [];
      return { users, count: users.length };
    }
    const page = await wireNames({ cursor: 'lastKey' }, () =>
      this.listProfiles.execute(actor, {
        limit: query.limit,
        cursor: query.lastKey,
        active,
        suspended: query.suspended,
      }),
    );
    return {
      users: page.items.map(this.present),
      count: page.items.length,
      ...(page.cursor === undefined ? {} : { lastKey: page.cursor }),
    };
  }

  /** `PUT`: the given fields replace the stored ones. */
  update(request: WithId, reply: FastifyReply): Promise<ProfileView> {
    return this.change(request, reply, 'application/json', this.updateProfile);
  }

  /** `PATCH`: an RFC 7396 merge patch. */
  patch(request: WithId, reply: FastifyReply): Promise<ProfileView> {
    return this.change(request, reply, 'application/merge-patch+json', this.patchProfile);
  }

  private async change(
    request: WithId,
    reply: FastifyReply,
    mediaType: string,
    useCase: UpdateUserProfile | PatchUserProfile,
  ): Promise<ProfileView> {
    requireMediaType(request, [mediaType]);
    const { actor, userId } = targetOf(request);
    const meaning = useCase === this.patchProfile ? MEANING.mergePatch : MEANING.update;
    await validateDto(ChangeUserProfileDto, request.body, 'body', (body) => meaning(body, actor));
    const profile = await useCase.execute(
      actor,
      userId,
      request.body,
      expectedVersionFrom(request.headers['if-match']),
    );
    reply.header('etag', etagOf(profile));
    return this.present(profile);
  }
}
