import type { JsonObject, UserProfile } from '@userprofile/domain';
import { USER_PROFILE_TABLE } from './table-definition';

export const ITEM_TYPE = { profile: 'PROFILE', emailGuard: 'EMAIL' } as const;

/** How a profile is stored: the profile's fields plus its type and list-index keys. */
export interface ProfileItem {
  userId: string;
  itemType: typeof ITEM_TYPE.profile;
  email: string;
  firstName: string;
  lastName: string;
  phoneNumber?: string;
  metadata?: JsonObject;
  active: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
  listShard: string;
  listKey: string;
}

/** The claim of one e-mail address by one profile; its key is derived from the address. */
export interface EmailGuardItem {
  userId: string;
  itemType: typeof ITEM_TYPE.emailGuard;
  ownerId: string;
}

export const emailGuardKey = (email: string) => ({ userId: `EMAIL#${email}` });

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
    metadata: profile.metadata,
    active: profile.active,
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
  const { version, active, phoneNumber, metadata } = item;
  if (typeof version !== 'number' || typeof active !== 'boolean') {
    throw new Error(`Stored profile ${String(item.userId)} has a malformed version or active flag`);
  }
  return {
    userId: str('userId'),
    email: str('email'),
    firstName: str('firstName'),
    lastName: str('lastName'),
    ...(typeof phoneNumber === 'string' ? { phoneNumber } : {}),
    ...(metadata !== undefined && metadata !== null && typeof metadata === 'object'
      ? { metadata: metadata as JsonObject }
      : {}),
    active,
    createdAt: str('createdAt'),
    updatedAt: str('updatedAt'),
    version,
  };
}
