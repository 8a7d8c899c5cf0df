import { ValidationFailed, type FieldProblem } from './errors';
import { canonical } from './canonical-json';
import { isPlainObject, type JsonObject } from './json';
import { checkDeclaredSchemas, NO_METADATA_SCHEMAS } from './metadata-schemas';
import type { ProfilePhoto } from './photo';
import type { MetadataSchemas } from './ports';
import {
  assertTierWriters,
  collectOptionalFields,
  isMetadataTier,
  OPTIONAL_FIELD_NAMES,
} from './profile-fields';
import type { Suspension } from './suspension';
import {
  parseActive,
  parseEmail,
  parseName,
  parsePhoneNumber,
  PROFILE_LIMITS,
  nestedDeeperThan,
  type Result,
} from './profile-rules';

/** A user's profile, always valid: only the functions of this module make or change one. */
export interface UserProfile {
  readonly userId: string;
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly phoneNumber?: string;
  /** A handle, unique regardless of case (`USERNAME_RULES`); shown in the public profile. */
  readonly username?: string;
  /** BCP 47, canonical (`en-GB`). */
  readonly locale?: string;
  /** IANA (`Europe/Paris`) or `UTC`. */
  readonly timeZone?: string;
  /** The owner's; owner and admins read it. */
  readonly metadata?: JsonObject;
  /** The administrators'; the owner reads it (`METADATA_TIERS`). */
  readonly appMetadata?: JsonObject;
  /** The owner's; every signed-in user reads it in the public profile. */
  readonly publicMetadata?: JsonObject;
  /** The owner's own switch: deactivate or reactivate the profile. */
  readonly active: boolean;
  /**
   * Suspended: the owner may still read and delete their profile, and nothing else
   * (`AccountSuspended`). As answered, true while the subject's suspension is in force (see
   * `withStanding`); as stored, only a flag from before suspensions were records of their own,
   * which lifting clears. False on create; administrators' only, as a shorthand for suspending
   * (reason `OTHER`) and lifting.
   */
  readonly blocked: boolean;
  /** The subject's suspension in force, in answers only: never stored with the profile. */
  readonly suspension?: Suspension;
  /** Set only by committing an upload (`CommitPhoto`), removed by `RemovePhoto`. */
  readonly photo?: ProfilePhoto;
  /**
   * ISO-8601 UTC: as of when `email` is known to be the owner's. For an address taken from the
   * owner's credential, when that credential was issued; otherwise when it was written. A
   * credential issued at or before it never changes the address (see `emailIsNewer`).
   */
  readonly emailChangedAt: string;
  /** ISO-8601 UTC, set once on create. */
  readonly createdAt: string;
  /** ISO-8601 UTC, set on every change. */
  readonly updatedAt: string;
  /** 1 on create, +1 on every change. */
  readonly version: number;
}

/** The fields the service sets and no request may: a body naming one is refused by name. */
export const READ_ONLY_FIELDS: ReadonlySet<string> = new Set([
  'userId',
  'photo',
  'emailChangedAt',
  'createdAt',
  'updatedAt',
  'version',
]);
const CREATE_FIELDS = new Set([
  'email',
  'firstName',
  'lastName',
  'phoneNumber',
  ...OPTIONAL_FIELD_NAMES,
]);
const CHANGE_FIELDS = new Set([...CREATE_FIELDS, 'active', 'blocked']);
const ADMIN_FIELDS = new Set(['blocked']);
const REQUIRED_FIELDS = new Set(['email', 'firstName', 'lastName', 'active', 'blocked']);

/** Who makes a change: some fields are the administrators' alone. */
export interface Editor {
  readonly admin: boolean;
  /**
   * When an address given is the editor's own verified one, the time their credential vouched
   * for it (its issue time); the address's `emailChangedAt`. Otherwise the change's own time.
   */
  readonly emailAsOf?: Date;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function newUserProfile(
  input: unknown,
  context: {
    userId: string;
    now: Date;
    emailAsOf?: Date;
    admin?: boolean;
    schemas?: MetadataSchemas;
  },
): UserProfile {
  const body = requireObject(input);
  assertTierWriters(body, context.admin ?? false);
  const problems = checkFieldNames(body, CREATE_FIELDS);
  for (const field of ['email', 'firstName', 'lastName']) {
    if (body[field] === undefined) problems.push({ field, message: 'is required' });
  }
  const draft: Partial<Mutable<UserProfile>> = {};
  collect(problems, draft, body);
  checkDeclaredSchemas(problems, draft, body, context.schemas ?? NO_METADATA_SCHEMAS);
  throwIfAny(problems);
  const at = context.now.toISOString();
  return ordered({
    ...(draft as Pick<UserProfile, 'email' | 'firstName' | 'lastName'>),
    userId: context.userId,
    active: true,
    blocked: false,
    emailChangedAt: (context.emailAsOf ?? context.now).toISOString(),
    createdAt: at,
    updatedAt: at,
    version: 1,
  });
}

/**
 * `PUT` semantics: every given field replaces the stored one; at least one field is required.
 * Each metadata tier given is held to its declared schema (`schemas`) as it is then.
 */
export function applyUpdate(
  profile: UserProfile,
  input: unknown,
  now: Date,
  editor: Editor = { admin: false },
  schemas: MetadataSchemas = NO_METADATA_SCHEMAS,
): UserProfile {
  const body = requireObject(input);
  assertTierWriters(body, editor.admin);
  const problems = checkFieldNames(body, CHANGE_FIELDS, editor);
  if (Object.keys(body).length === 0)
    problems.push({ field: '', message: 'give at least one field to change' });
  const next: Mutable<UserProfile> = { ...profile };
  collect(problems, next, body);
  checkDeclaredSchemas(problems, next, body, schemas);
  throwIfAny(problems);
  return touch(profile, next, now, editor.emailAsOf);
}

/**
 * RFC 7396 JSON merge patch: a member replaces, `null` removes. Required fields cannot be removed;
 * `metadata` is merged recursively, so `{"metadata": {"theme": null}}` removes one key. Each tier
 * patched is held to its declared schema (`schemas`) as the merge leaves it, whole.
 */
export function applyMergePatch(
  profile: UserProfile,
  patch: unknown,
  now: Date,
  editor: Editor = { admin: false },
  schemas: MetadataSchemas = NO_METADATA_SCHEMAS,
): UserProfile {
  const body = requireObject(patch);
  assertTierWriters(body, editor.admin);
  const problems = checkFieldNames(body, CHANGE_FIELDS, editor);
  const merged: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(body)) {
    if (value === null && REQUIRED_FIELDS.has(field)) {
      problems.push({ field, message: 'is required and cannot be removed' });
    } else if (isMetadataTier(field) && isPlainObject(value)) {
      // The merge recurses: measure the patch first (what it may build is no deeper than it).
      if (nestedDeeperThan(value, PROFILE_LIMITS.metadataMaxDepth)) {
        problems.push({
          field,
          message: `must be nested at most ${PROFILE_LIMITS.metadataMaxDepth} deep`,
        });
      } else merged[field] = mergePatchJson(profile[field] ?? {}, value);
    } else {
      merged[field] = value;
    }
  }
  const next: Mutable<UserProfile> = { ...profile };
  collect(problems, next, merged);
  checkDeclaredSchemas(problems, next, merged, schemas);
  throwIfAny(problems);
  return touch(profile, next, now, editor.emailAsOf);
}

/** The profile with this photo (or none): a change like any other, with a new version. */
export function withPhoto(
  profile: UserProfile,
  photo: ProfilePhoto | undefined,
  now: Date,
): UserProfile {
  const { photo: _previous, ...rest } = profile;
  return touch(profile, photo ? { ...rest, photo } : rest, now);
}

/** True when two profiles hold the same user-visible content (ignoring timestamps and version). */
export function sameContent(a: UserProfile, b: UserProfile): boolean {
  const strip = ({
    updatedAt: _u,
    version: _v,
    emailChangedAt: _e,
    suspension: _s,
    ...rest
  }: UserProfile) => rest;
  return canonical(strip(a)) === canonical(strip(b));
}

/** What a create asked for, as one canonical string: equal for equal (normalised) requests. */
export function requestFingerprint(p: UserProfile): string {
  return canonical({
    email: p.email,
    firstName: p.firstName,
    lastName: p.lastName,
    phoneNumber: p.phoneNumber ?? null,
    metadata: p.metadata ?? null,
    ...optionalFields(p),
  });
}

function touch(previous: UserProfile, next: UserProfile, now: Date, emailAsOf?: Date): UserProfile {
  if (sameContent(previous, next)) return previous;
  const at = now.toISOString();
  const moved = next.email !== previous.email;
  return ordered({
    ...next,
    emailChangedAt: moved ? (emailAsOf ?? now).toISOString() : previous.emailChangedAt,
    updatedAt: at > previous.updatedAt ? at : previous.updatedAt,
    version: previous.version + 1,
  });
}

/** The same profile with its fields in one fixed order, so every answer reads alike. */
function ordered(p: UserProfile): UserProfile {
  return {
    userId: p.userId,
    email: p.email,
    firstName: p.firstName,
    lastName: p.lastName,
    ...(p.phoneNumber === undefined ? {} : { phoneNumber: p.phoneNumber }),
    ...optionalFields(p),
    active: p.active,
    blocked: p.blocked,
    ...(p.photo === undefined ? {} : { photo: { id: p.photo.id, updatedAt: p.photo.updatedAt } }),
    emailChangedAt: p.emailChangedAt,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    version: p.version,
  };
}

function mergePatchJson(
  target: JsonObject,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  const result: Record<string, unknown> = { ...target };
  // Own properties only: a key such as `constructor` or `__proto__` is data, never the prototype's.
  const set = (key: string, value: unknown) =>
    Object.defineProperty(result, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
    } else if (isPlainObject(value)) {
      const current = Object.hasOwn(result, key) ? result[key] : undefined;
      set(key, mergePatchJson(isPlainObject(current) ? (current as JsonObject) : {}, value));
    } else {
      set(key, value);
    }
  }
  return result;
}

function collect(
  problems: FieldProblem[],
  target: Partial<Mutable<UserProfile>>,
  body: Record<string, unknown>,
): void {
  const take = <T>(field: string, result: Result<T>, assign: (value: T) => void) => {
    if (result.ok) assign(result.value);
    else problems.push(result.problem);
  };
  if (body.email !== undefined) take('email', parseEmail(body.email), (v) => (target.email = v));
  for (const field of ['firstName', 'lastName'] as const) {
    if (body[field] !== undefined)
      take(field, parseName(body[field], field), (v) => (target[field] = v));
  }
  if (body.active !== undefined)
    take('active', parseActive(body.active), (v) => (target.active = v));
  if (body.blocked !== undefined)
    take('blocked', parseActive(body.blocked, 'blocked'), (v) => (target.blocked = v));
  if (body.phoneNumber === null) delete target.phoneNumber;
  else if (body.phoneNumber !== undefined) {
    take('phoneNumber', parsePhoneNumber(body.phoneNumber), (v) => (target.phoneNumber = v));
  }
  collectOptionalFields(problems, target, body);
}

/** The optional fields a profile holds, in their fixed order. */
function optionalFields(p: UserProfile): Partial<UserProfile> {
  const fields: Record<string, unknown> = {};
  for (const field of OPTIONAL_FIELD_NAMES) {
    const value = p[field as keyof UserProfile];
    if (value !== undefined) fields[field] = value;
  }
  return fields;
}

function checkFieldNames(
  body: Record<string, unknown>,
  allowed: Set<string>,
  editor: Editor = { admin: false },
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const field of Object.keys(body)) {
    if (READ_ONLY_FIELDS.has(field))
      problems.push({ field, message: 'is read-only and cannot be set' });
    else if (ADMIN_FIELDS.has(field) && allowed.has(field) && !editor.admin)
      problems.push({ field, message: 'may be changed by administrators only' });
    else if (!allowed.has(field)) problems.push({ field, message: 'is not a known field' });
  }
  return problems;
}

function requireObject(input: unknown): Record<string, unknown> {
  if (!isPlainObject(input)) throw ValidationFailed.of('', 'the body must be a JSON object');
  return input;
}

function throwIfAny(problems: FieldProblem[]): void {
  if (problems.length > 0) throw new ValidationFailed(problems);
}
