import type { IdempotencyRecord, JsonObject, JsonValue, UserProfile } from '@userprofile/domain';
import { USER_PROFILE_TABLE } from './table-definition';

export const ITEM_TYPE = {
  profile: 'PROFILE',
  emailGuard: 'EMAIL',
  idempotency: 'IDEMPOTENCY',
} as const;

/** How a profile is stored: the profile's fields plus its type and list-index keys. */
export interface ProfileItem {
  userId: string;
  itemType: typeof ITEM_TYPE.profile;
  email: string;
  firstName: string;
  lastName: string;
  phoneNumber?: string;
  username?: string;
  locale?: string;
  timeZone?: string;
  metadata?: StoredJson;
  appMetadata?: StoredJson;
  publicMetadata?: StoredJson;
  active: boolean;
  blocked: boolean;
  /** The photo: its renditions' id and when it was set (a map). */
  photo?: { id: string; updatedAt: string };
  /** Absent on items written before it was kept: read as `updatedAt` (never older than it). */
  emailChangedAt: string;
  createdAt: string;
  updatedAt: string;
  version: number;
  listShard: string;
  listKey: string;
  /** The idempotency key of the create that made it: its record is erased with the profile. */
  idempotencyKey?: string;
}

/** The claim of one e-mail address by one profile; its key is derived from the address. */
export interface EmailGuardItem {
  userId: string;
  itemType: typeof ITEM_TYPE.emailGuard;
  ownerId: string;
}

export const emailGuardKey = (email: string) => ({ userId: `EMAIL#${email}` });
export const idempotencyKey = (key: string) => ({ userId: `IDEMPOTENCY#${key}` });

/** The record of an idempotent create; DynamoDB's TTL removes it some time after `ttl`. */
export interface IdempotencyItem {
  userId: string;
  itemType: typeof ITEM_TYPE.idempotency;
  fingerprint: string;
  profile: ProfileFields;
  expiresAt: string;
  ttl: number;
}

type ProfileFields = Omit<ProfileItem, 'itemType' | 'listShard' | 'listKey' | 'idempotencyKey'>;

export function idempotencyItem(record: IdempotencyRecord): IdempotencyItem {
  const { itemType: _t, listShard: _s, listKey: _k, ...profile } = toItem(record.profile);
  return {
    ...idempotencyKey(record.key),
    itemType: ITEM_TYPE.idempotency,
    fingerprint: record.fingerprint,
    profile,
    expiresAt: record.expiresAt,
    ttl: Math.ceil(Date.parse(record.expiresAt) / 1000),
  };
}

export function toIdempotencyRecord(
  key: string,
  item: Record<string, unknown> | undefined,
): IdempotencyRecord | undefined {
  if (!item || item.itemType !== ITEM_TYPE.idempotency) return undefined;
  const profile = toProfile({
    ...(item.profile as Record<string, unknown>),
    itemType: ITEM_TYPE.profile,
  });
  if (!profile || typeof item.fingerprint !== 'string' || typeof item.expiresAt !== 'string') {
    throw new Error(`Stored idempotency record ${key} is malformed`);
  }
  return { key, fingerprint: item.fingerprint, profile, expiresAt: item.expiresAt };
}

/** JSON as it is handed to the marshaller: every object as a `Map`. */
type StoredJson = string | number | boolean | null | StoredJson[] | Map<string, StoredJson>;

/**
 * The SDK's marshaller picks an object's type by `value.constructor.name`, so a plain object
 * with a key named `constructor` fails to marshal or is stored as the string "[object Object]".
 * A `Map`'s entries are always stored as a map's members, whatever their names.
 */
function storedJson(value: JsonValue): StoredJson {
  if (Array.isArray(value)) return value.map(storedJson);
  if (value !== null && typeof value === 'object') {
    return new Map(Object.entries(value).map(([key, child]) => [key, storedJson(child)]));
  }
  return value;
}

/** The list shard of a profile: stable, from the random tail of its UUID. */
export function listShardOf(userId: string): string {
  return String(parseInt(userId.slice(-4), 16) % USER_PROFILE_TABLE.listShards);
}

export const listKeyOf = (p: Pick<UserProfile, 'createdAt' | 'userId'>) =>
  `${p.createdAt}#${p.userId}`;

export function toItem(profile: UserProfile): ProfileItem {
  return {
    userId: profile.userId,
    itemType: ITEM_TYPE.profile,
    email: profile.email,
    firstName: profile.firstName,
    lastName: profile.lastName,
    phoneNumber: profile.phoneNumber,
    username: profile.username,
    locale: profile.locale,
    timeZone: profile.timeZone,
    metadata: profile.metadata && storedJson(profile.metadata),
    appMetadata: profile.appMetadata && storedJson(profile.appMetadata),
    publicMetadata: profile.publicMetadata && storedJson(profile.publicMetadata),
    active: profile.active,
    blocked: profile.blocked,
    photo: profile.photo && { id: profile.photo.id, updatedAt: profile.photo.updatedAt },
    emailChangedAt: profile.emailChangedAt,
    createdAt: profile.createdAt,
    updatedAt: profile.updatedAt,
    version: profile.version,
    listShard: listShardOf(profile.userId),
    listKey: listKeyOf(profile),
  };
}

export function emailGuardItem(profile: UserProfile): EmailGuardItem {
  return {
    ...emailGuardKey(profile.email),
    itemType: ITEM_TYPE.emailGuard,
    ownerId: profile.userId,
  };
}

/** Reads a stored item back into a profile, checking what it reads; `undefined` if it is none. */
export function toProfile(item: Record<string, unknown> | undefined): UserProfile | undefined {
  if (!item || item.itemType !== ITEM_TYPE.profile) return undefined;
  const str = (name: string) => {
    const value = item[name];
    if (typeof value !== 'string')
      throw new Error(`Stored profile ${String(item.userId)} has no string ${name}`);
    return value;
  };
  const { version, active, blocked = false, phoneNumber, photo } = item;
  if (typeof version !== 'number' || typeof active !== 'boolean' || typeof blocked !== 'boolean') {
    throw new Error(`Stored profile ${String(item.userId)} has a malformed version or flag`);
  }
  return {
    userId: str('userId'),
    email: str('email'),
    firstName: str('firstName'),
    lastName: str('lastName'),
    ...(typeof phoneNumber === 'string' ? { phoneNumber } : {}),
    ...optionalStrings(item),
    ...storedTiers(item),
    active,
    blocked,
    ...(photo === undefined ? {} : { photo: storedPhoto(item.userId, photo) }),
    // An item from before the time was kept: its address is at least as old as its last change,
    // so no credential issued before that change moves it.
    emailChangedAt: item.emailChangedAt === undefined ? str('updatedAt') : str('emailChangedAt'),
    createdAt: str('createdAt'),
    updatedAt: str('updatedAt'),
    version,
  };
}

function storedPhoto(userId: unknown, photo: unknown): { id: string; updatedAt: string } {
  const { id, updatedAt } = (photo ?? {}) as Record<string, unknown>;
  if (typeof id !== 'string' || typeof updatedAt !== 'string') {
    throw new Error(`Stored profile ${String(userId)} has a malformed photo`);
  }
  return { id, updatedAt };
}

/** The optional string fields, as stored. */
function optionalStrings(item: Record<string, unknown>) {
  const fields: { username?: string; locale?: string; timeZone?: string } = {};
  for (const name of ['username', 'locale', 'timeZone'] as const) {
    const value = item[name];
    if (typeof value === 'string') fields[name] = value;
  }
  return fields;
}

/** The metadata tiers, as stored: each a map, or absent. */
function storedTiers(item: Record<string, unknown>) {
  const tiers: { metadata?: JsonObject; appMetadata?: JsonObject; publicMetadata?: JsonObject } =
    {};
  for (const name of ['metadata', 'appMetadata', 'publicMetadata'] as const) {
    const value = item[name];
    if (value !== undefined && value !== null && typeof value === 'object') {
      tiers[name] = value as JsonObject;
    }
  }
  return tiers;
}
