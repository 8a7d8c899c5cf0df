import type { SuspensionRecord } from '../suspension';
import type { UserProfile } from '../user-profile';
import { SYSTEM_AUTHOR, type ChangeAuthor, type ChangeEvent } from './change-event';

/** One write of a profile as storage saw it: the profile before and after, and who wrote it. */
export interface ProfileWrite {
  readonly before?: UserProfile;
  readonly after?: UserProfile;
  /** Recorded with the write itself (for a deletion: with the profile just before it went). */
  readonly author?: ChangeAuthor;
  /** When a deletion was made (recorded with it); the time storage saw it otherwise. */
  readonly deletedAt?: string;
}

// What is not content: bookkeeping that changes with every write.
const BOOKKEEPING = new Set(['updatedAt', 'version', 'emailChangedAt', 'suspension']);

/**
 * The event of one write of a profile, or none: a write that did not move the version (storage's
 * own bookkeeping, such as the author recorded before a deletion) is no change of the profile.
 */
export function profileChangeEvent(write: ProfileWrite): ChangeEvent | undefined {
  const { before, after } = write;
  const actor = write.author ?? SYSTEM_AUTHOR;
  if (after && !before) {
    return event(after, after.version, 'profile.created', after.createdAt, actor, fieldsOf(after));
  }
  if (before && !after) {
    const time = write.deletedAt ?? before.updatedAt;
    return event(before, before.version + 1, 'profile.deleted', time, actor, []);
  }
  if (!before || !after || after.version === before.version) return undefined;
  const changed = changedFields(before, after);
  const type =
    changed.length === 1 && changed[0] === 'photo' ? 'profile.photo.changed' : 'profile.updated';
  return event(after, after.version, type, after.updatedAt, actor, changed);
}

/**
 * The event of one write of a subject's suspension record: a new suspension, or the one in
 * force lifted; none for anything else (a record expiring, a history trimmed).
 */
export function suspensionChangeEvent(
  before: SuspensionRecord | undefined,
  after: SuspensionRecord | undefined,
): ChangeEvent | undefined {
  const last = after?.history.at(-1);
  if (!after || !last) return undefined;
  const previous = before?.history.at(-1);
  const common = { profileId: after.userId, version: after.version, changed: ['suspension'] };
  if (previous?.suspendedAt !== last.suspendedAt) {
    return {
      id: `${after.userId}.s.${stamp(last.suspendedAt)}`,
      type: 'profile.suspended',
      time: last.suspendedAt,
      actor: { kind: 'admin', id: last.suspendedBy },
      ...common,
    };
  }
  if (previous.liftedAt === undefined && last.liftedAt !== undefined) {
    return {
      id: `${after.userId}.u.${stamp(last.liftedAt)}`,
      type: 'profile.unsuspended',
      time: last.liftedAt,
      actor: { kind: 'admin', ...(last.liftedBy === undefined ? {} : { id: last.liftedBy }) },
      ...common,
    };
  }
  return undefined;
}

/**
 * An id unique to this change: the profile, which life of it (a deleted profile's id may be used
 * again, so its creation time tells them apart) and the version.
 */
export function profileEventId(profileId: string, createdAt: string, version: number): string {
  return `${profileId}.${stamp(createdAt)}.${version}`;
}

function event(
  profile: UserProfile,
  version: number,
  type: ChangeEvent['type'],
  time: string,
  actor: ChangeAuthor,
  changed: readonly string[],
): ChangeEvent {
  return {
    id: profileEventId(profile.userId, profile.createdAt, version),
    type,
    time,
    profileId: profile.userId,
    version,
    actor,
    changed,
  };
}

function fieldsOf(profile: UserProfile): string[] {
  return Object.keys(profile)
    .filter((field) => !BOOKKEEPING.has(field) && field !== 'userId' && field !== 'createdAt')
    .sort();
}

function changedFields(before: UserProfile, after: UserProfile): string[] {
  const fields = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...fields]
    .filter((field) => !BOOKKEEPING.has(field))
    .filter(
      (field) =>
        JSON.stringify(canonical((before as unknown as Record<string, unknown>)[field])) !==
        JSON.stringify(canonical((after as unknown as Record<string, unknown>)[field])),
    )
    .sort();
}

/** Milliseconds since the epoch in base 36: short, and ordered like the time. */
const stamp = (iso: string) => Date.parse(iso).toString(36);

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(object)
        .sort()
        .map((key) => [key, canonical(object[key])]),
    );
  }
  return value;
}
