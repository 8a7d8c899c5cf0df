import { actorId, type Actor } from '../actor';

/** Every kind of change the feed reports, in the `profile.<what>` naming of the webhooks. */
export const CHANGE_EVENT_TYPES = [
  'profile.created',
  'profile.updated',
  'profile.deleted',
  'profile.photo.changed',
  'profile.suspended',
  'profile.unsuspended',
] as const;
export type ChangeEventType = (typeof CHANGE_EVENT_TYPES)[number];

/** Who made a change: the profile's owner, an administrator, or the system (no caller known). */
export interface ChangeAuthor {
  readonly kind: 'owner' | 'admin' | 'system';
  /** The caller's subject (`open-api` for the open API's anonymous administrator). */
  readonly id?: string;
}

export const SYSTEM_AUTHOR: ChangeAuthor = Object.freeze({ kind: 'system' });

/**
 * One committed change of a profile (or of its subject's standing). It carries ids, times and the
 * names of the fields that changed, never their values: a consumer reads the profile for those.
 */
export interface ChangeEvent {
  /** Derived from the change itself, so a change read twice is one event: consumers dedupe by it. */
  readonly id: string;
  readonly type: ChangeEventType;
  /** ISO-8601 UTC: when the change was made. */
  readonly time: string;
  readonly profileId: string;
  /**
   * The profile's version after the change: 1 for `profile.created`, +1 per change, the deleted
   * version + 1 for `profile.deleted`. Suspension events count the subject's suspension record
   * instead (a suspension never changes the profile).
   */
  readonly version: number;
  readonly actor: ChangeAuthor;
  /** The names of the fields that changed (every field set, for `profile.created`). */
  readonly changed: readonly string[];
}

/** The author a repository records with a write made by `actor` on profile `profileId`. */
export function authorOf(actor: Actor, profileId: string): ChangeAuthor {
  if (actor.subject === profileId) return Object.freeze({ kind: 'owner', id: profileId });
  if (actor.admin) return Object.freeze({ kind: 'admin', id: actorId(actor) });
  return SYSTEM_AUTHOR;
}

/**
 * A change event read back from storage or a queue, every member checked; `undefined` when the
 * value is none. The actor is copied to its two members (nothing else a value carried survives).
 */
export function changeEventOf(value: unknown): ChangeEvent | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const { id, type, time, profileId, version, actor, changed } = value as Record<string, unknown>;
  if (
    typeof id !== 'string' ||
    !CHANGE_EVENT_TYPES.includes(type as ChangeEventType) ||
    typeof time !== 'string' ||
    typeof profileId !== 'string' ||
    typeof version !== 'number' ||
    !isChangeAuthor(actor) ||
    !Array.isArray(changed) ||
    !changed.every((c) => typeof c === 'string')
  ) {
    return undefined;
  }
  return {
    id,
    type: type as ChangeEventType,
    time,
    profileId,
    version,
    actor: actor.id === undefined ? { kind: actor.kind } : { kind: actor.kind, id: actor.id },
    changed,
  };
}

/** True for a well-formed author as stored beside a write (anything else reads as the system). */
export function isChangeAuthor(value: unknown): value is ChangeAuthor {
  if (value === null || typeof value !== 'object') return false;
  const { kind, id } = value as Record<string, unknown>;
  return (
    (kind === 'owner' || kind === 'admin' || kind === 'system') &&
    (id === undefined || typeof id === 'string')
  );
}
