import type { JsonObject } from './json';
import type { ProfilePhoto } from './photo';
import { currentSuspension, type SuspensionRecord } from './suspension';
import type { UserProfile } from './user-profile';

/**
 * What any signed-in user may see of another's profile: never the e-mail address, the phone
 * number, `metadata` or `appMetadata`, the flags or the timestamps.
 */
export interface PublicProfile {
  readonly userId: string;
  readonly username?: string;
  readonly displayName: string;
  readonly photo?: ProfilePhoto;
  readonly publicMetadata?: JsonObject;
}

/** How a public profile names its owner: `full` "Ada Lovelace", `initial` "Ada L.", `first` "Ada". */
export const DISPLAY_NAME_STYLES = ['full', 'initial', 'first'] as const;
export type DisplayNameStyle = (typeof DISPLAY_NAME_STYLES)[number];

/** The limits of a public read: how many ids one batch may name. */
export const PUBLIC_PROFILE_LIMITS = { maxIds: 100 } as const;

function displayName(profile: UserProfile, style: DisplayNameStyle): string {
  switch (style) {
    case 'full':
      return `${profile.firstName} ${profile.lastName}`;
    case 'initial':
      return `${profile.firstName} ${[...profile.lastName][0] ?? ''}.`;
    case 'first':
      return profile.firstName;
  }
}

/**
 * True when a profile may be shown to others now: not deactivated by its owner, not suspended
 * (by a suspension in force, or the `blocked` flag of old).
 */
export function isShownPublicly(
  profile: UserProfile,
  suspensions: SuspensionRecord | undefined,
  now: Date,
): boolean {
  return profile.active && !profile.blocked && currentSuspension(suspensions, now) === undefined;
}

/** The public part of a profile, in a fixed field order. */
export function publicProfileOf(profile: UserProfile, style: DisplayNameStyle): PublicProfile {
  return {
    userId: profile.userId,
    ...(profile.username === undefined ? {} : { username: profile.username }),
    displayName: displayName(profile, style),
    ...(profile.photo === undefined ? {} : { photo: profile.photo }),
    ...(profile.publicMetadata === undefined ? {} : { publicMetadata: profile.publicMetadata }),
  };
}
