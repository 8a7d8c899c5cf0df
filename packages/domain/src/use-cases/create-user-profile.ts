import { authorOf } from '../events/change-event';
import { ownProfileId, type Actor } from '../actor';
import { IdempotencyKeyInUse, IdempotencyKeyReused, ValidationFailed } from '../errors';
import { bindEmail, boundEmailTime, withProblem } from '../email-identity';
import { NO_METADATA_SCHEMAS } from '../metadata-schemas';
import type {
  Clock,
  IdGenerator,
  IdempotencyRecord,
  MetadataSchemas,
  UserProfileRepository,
} from '../ports';
import { newUserProfile, requestFingerprint, type UserProfile } from '../user-profile';
import { withStanding } from './standing';

/** How long a create remembers its idempotency key. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** An idempotency key is opaque to the domain; only its length is bounded (it is stored as a key). */
export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;

export interface CreateResult {
  readonly profile: UserProfile;
  /** True when this answers a retry: the profile was created by an earlier request with the key. */
  readonly replayed: boolean;
}

export class CreateUserProfile {
  constructor(
    private readonly repository: UserProfileRepository,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    /** The tiers' declared schemas, which a new profile's metadata must meet. */
    private readonly schemas: MetadataSchemas = NO_METADATA_SCHEMAS,
  ) {}

  /** The profile as answered: suspended when its subject is (a record outlives a profile). */
  private answer(result: CreateResult): Promise<CreateResult> {
    return withStanding(this.repository, this.clock, result.profile).then((profile) => ({
      ...result,
      profile,
    }));
  }

  /** @throws ValidationFailed, EmailAlreadyTaken, ProfileAlreadyExists, Forbidden */
  async execute(actor: Actor, input: unknown): Promise<UserProfile> {
    return (await this.executeIdempotently(actor, input)).profile;
  }

  /**
   * Creates a profile; with an idempotency key, a retry of the same request (same key, same
   * normalised body, within 24 hours) answers the original profile instead of creating another
   * or failing on its own e-mail, and the same key with another body is refused.
   *
   * A signed-in user's profile takes their subject as its id, so each user creates one profile
   * (a second is `ProfileAlreadyExists`) and their keys are theirs alone; the open API's
   * anonymous caller gets a new random id each time.
   * @throws ValidationFailed, EmailAlreadyTaken, ProfileAlreadyExists, IdempotencyKeyReused, Forbidden
   */
  async executeIdempotently(
    actor: Actor,
    input: unknown,
    idempotencyKey?: string,
  ): Promise<CreateResult> {
    if (
      idempotencyKey !== undefined &&
      (idempotencyKey.length === 0 || idempotencyKey.length > IDEMPOTENCY_KEY_MAX_LENGTH)
    ) {
      throw ValidationFailed.of(
        'idempotencyKey',
        `must be 1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} characters`,
      );
    }
    const userId = actor.subject === undefined ? this.ids.newId() : ownProfileId(actor);
    const now = this.clock.now();
    const { body, problem } = bindEmail(actor, input, 'create');
    const emailAsOf = boundEmailTime(actor);
    const profile = withProblem(problem, () =>
      newUserProfile(body, {
        userId,
        now,
        admin: actor.admin,
        schemas: this.schemas,
        ...(emailAsOf ? { emailAsOf } : {}),
      }),
    );
    if (idempotencyKey === undefined) {
      await this.repository.create(profile, undefined, authorOf(actor, userId));
      return this.answer({ profile, replayed: false });
    }

    // Keys are scoped to their caller: nobody can replay (and so read) another user's create.
    const key = actor.subject === undefined ? idempotencyKey : `${actor.subject}/${idempotencyKey}`;
    const fingerprint = requestFingerprint(profile);
    const earlier = await this.repository.findIdempotencyRecord(key, now);
    if (earlier) return this.answer(replay(earlier, fingerprint));
    const record: IdempotencyRecord = {
      key,
      fingerprint,
      profile,
      expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS).toISOString(),
    };
    try {
      await this.repository.create(profile, record, authorOf(actor, userId));
      return await this.answer({ profile, replayed: false });
    } catch (error) {
      // A concurrent retry with the same key won the race: answer what it answered.
      if (!(error instanceof IdempotencyKeyInUse)) throw error;
      const winner = await this.repository.findIdempotencyRecord(key, now);
      if (!winner) throw error;
      return this.answer(replay(winner, fingerprint));
    }
  }
}

function replay(record: IdempotencyRecord, fingerprint: string): CreateResult {
  if (record.fingerprint !== fingerprint) throw new IdempotencyKeyReused(record.key);
  return { profile: record.profile, replayed: true };
}
