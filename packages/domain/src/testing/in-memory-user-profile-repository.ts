import {
  EmailAlreadyTaken,
  IdempotencyKeyInUse,
  ProfileAlreadyExists,
  ProfileNotFound,
  UsernameTaken,
  ValidationFailed,
  VersionConflict,
} from '../errors';
import type {
  IdempotencyRecord,
  Page,
  PageRequest,
  PhotoReferences,
  ProfileWithSuspensions,
  SuspensionPage,
  UserProfileRepository,
} from '../ports';
import type { ChangeAuthor } from '../events/change-event';
import type { SuspensionRecord } from '../suspension';
import { usernameKey } from '../profile-fields';
import { structuredCopy } from '../profile-rules';
import type { UserProfile } from '../user-profile';

/**
 * The repository port in memory, with the same semantics as the DynamoDB adapter (the contract
 * suite proves it): atomic conditional writes, e-mail claims, newest-first key-based pages.
 */
export class InMemoryUserProfileRepository implements UserProfileRepository, PhotoReferences {
  private readonly profiles = new Map<string, UserProfile>();
  private readonly emailOwners = new Map<string, string>();
  private readonly idempotency = new Map<string, IdempotencyRecord>();
  private readonly suspensions = new Map<string, SuspensionRecord>();
  private readonly authors = new Map<string, ChangeAuthor | undefined>();

  /** Who made the last write of this profile (its deletion included), as the write recorded it. */
  lastAuthor(userId: string): ChangeAuthor | undefined {
    return this.authors.get(userId);
  }
  /** Handles by their lower-case key, each to the profile holding it. */
  private readonly usernameOwners = new Map<string, string>();

  /** Every profile held now (copies): what the in-memory search reads. */
  all(): UserProfile[] {
    return [...this.profiles.values()].map((p) => structuredCopy(p));
  }

  async get(userId: string): Promise<UserProfile | undefined> {
    const profile = this.profiles.get(userId);
    return profile && structuredCopy(profile);
  }

  async findByEmail(email: string): Promise<UserProfile | undefined> {
    const owner = this.emailOwners.get(email);
    return owner === undefined ? undefined : this.get(owner);
  }

  async create(
    profile: UserProfile,
    idempotency?: IdempotencyRecord,
    by?: ChangeAuthor,
  ): Promise<void> {
    if (idempotency) {
      const earlier = this.idempotency.get(idempotency.key);
      const now = new Date(profile.createdAt);
      if (earlier && earlier.expiresAt > now.toISOString())
        throw new IdempotencyKeyInUse(idempotency.key);
    }
    if (this.profiles.has(profile.userId)) throw new ProfileAlreadyExists(profile.userId);
    if (this.emailOwners.has(profile.email)) throw new EmailAlreadyTaken(profile.email);
    this.assertUsernameFree(profile);
    this.profiles.set(profile.userId, structuredCopy(profile));
    this.emailOwners.set(profile.email, profile.userId);
    this.moveUsername(undefined, profile);
    if (idempotency) this.idempotency.set(idempotency.key, structuredCopy(idempotency));
    this.authors.set(profile.userId, by);
  }

  async findIdempotencyRecord(key: string, now: Date): Promise<IdempotencyRecord | undefined> {
    const record = this.idempotency.get(key);
    return record && record.expiresAt > now.toISOString() ? structuredCopy(record) : undefined;
  }

  async update(previous: UserProfile, next: UserProfile, by?: ChangeAuthor): Promise<void> {
    const stored = this.profiles.get(previous.userId);
    if (!stored) throw new ProfileNotFound(previous.userId);
    if (stored.version !== previous.version) throw new VersionConflict(previous.userId);
    const owner = this.emailOwners.get(next.email);
    if (owner !== undefined && owner !== next.userId) throw new EmailAlreadyTaken(next.email);
    this.assertUsernameFree(next);
    this.moveUsername(stored, next);
    if (stored.email !== next.email) {
      this.emailOwners.delete(stored.email);
      this.emailOwners.set(next.email, next.userId);
    }
    this.profiles.set(next.userId, structuredCopy(next));
    this.authors.set(next.userId, by);
  }

  async delete(profile: UserProfile, by?: ChangeAuthor): Promise<void> {
    const stored = this.profiles.get(profile.userId);
    if (!stored) throw new ProfileNotFound(profile.userId);
    if (stored.version !== profile.version) throw new VersionConflict(profile.userId);
    this.profiles.delete(stored.userId);
    this.emailOwners.delete(stored.email);
    this.authors.set(stored.userId, by);
    this.moveUsername(stored, undefined);
    for (const [key, record] of this.idempotency) {
      if (record.profile.userId === stored.userId) this.idempotency.delete(key);
    }
  }

  async findByUsername(username: string): Promise<UserProfile | undefined> {
    const owner = this.usernameOwners.get(usernameKey(username));
    return owner === undefined ? undefined : this.get(owner);
  }

  async getMany(userIds: readonly string[]): Promise<UserProfile[]> {
    const profiles = [...new Set(userIds)].map((id) => this.profiles.get(id));
    return profiles.filter((p) => p !== undefined).map((p) => structuredCopy(p));
  }

  async getSuspensionsOf(userIds: readonly string[]): Promise<SuspensionRecord[]> {
    const records = [...new Set(userIds)].map((id) => this.suspensions.get(id));
    return records.filter((r) => r !== undefined).map((r) => structuredCopy(r));
  }

  private assertUsernameFree(profile: UserProfile): void {
    if (profile.username === undefined) return;
    const owner = this.usernameOwners.get(usernameKey(profile.username));
    if (owner !== undefined && owner !== profile.userId) throw new UsernameTaken(profile.username);
  }

  private moveUsername(previous: UserProfile | undefined, next: UserProfile | undefined): void {
    if (previous?.username !== undefined)
      this.usernameOwners.delete(usernameKey(previous.username));
    if (next?.username !== undefined)
      this.usernameOwners.set(usernameKey(next.username), next.userId);
  }

  async *referencedPhotoIds(): AsyncIterable<string> {
    for (const profile of this.profiles.values()) if (profile.photo) yield profile.photo.id;
  }

  async list({ limit, cursor, active }: PageRequest): Promise<Page> {
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    const sorted = [...this.profiles.values()]
      .map((p) => ({ profile: p, key: sortKey(p) }))
      .filter(({ key }) => after === undefined || key < after)
      .filter(({ profile }) => active === undefined || profile.active === active)
      .sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0));
    const items = sorted.slice(0, limit).map(({ profile }) => structuredCopy(profile));
    const last = sorted[limit - 1];
    return sorted.length > limit && last ? { items, cursor: encodeCursor(last.key) } : { items };
  }

  async getSuspensions(userId: string): Promise<SuspensionRecord | undefined> {
    const record = this.suspensions.get(userId);
    return record && structuredCopy(record);
  }

  async getWithSuspensions(userId: string): Promise<ProfileWithSuspensions> {
    const [profile, suspensions] = [await this.get(userId), await this.getSuspensions(userId)];
    return { ...(profile && { profile }), ...(suspensions && { suspensions }) };
  }

  async saveSuspensions(
    previous: SuspensionRecord | undefined,
    next: SuspensionRecord,
  ): Promise<void> {
    if (this.suspensions.get(next.userId)?.version !== previous?.version) {
      throw new VersionConflict(next.userId);
    }
    this.suspensions.set(next.userId, structuredCopy(next));
  }

  async listSuspended({ limit, cursor }: Omit<PageRequest, 'active'>): Promise<SuspensionPage> {
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    const sorted = [...this.suspensions.values()]
      .flatMap((record) => {
        const last = record.history.at(-1);
        return last && last.liftedAt === undefined
          ? [{ record, key: `${last.suspendedAt}#${record.userId}` }]
          : [];
      })
      .filter(({ key }) => after === undefined || key < after)
      .sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0));
    const items = sorted.slice(0, limit).map(({ record }) => structuredCopy(record));
    const last = sorted[limit - 1];
    return sorted.length > limit && last ? { items, cursor: encodeCursor(last.key) } : { items };
  }
}

const sortKey = (p: UserProfile) => `${p.createdAt}#${p.userId}`;
const CURSOR_PREFIX = 'mem1:';

function encodeCursor(key: string): string {
  return (
    CURSOR_PREFIX + [...key].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('')
  );
}

function decodeCursor(cursor: string): string {
  const invalid = () => ValidationFailed.of('cursor', 'is not a cursor returned by this API');
  if (!cursor.startsWith(CURSOR_PREFIX)) throw invalid();
  const hex = cursor.slice(CURSOR_PREFIX.length);
  if (!/^(?:[0-9a-f]{2})+$/.test(hex)) throw invalid();
  const key = hex.replace(/../g, (pair) => String.fromCharCode(parseInt(pair, 16)));
  if (!/^\d{4}-\d\d-\d\dT[\d:.]+Z#[0-9a-f-]{36}$/.test(key)) throw invalid();
  return key;
}
