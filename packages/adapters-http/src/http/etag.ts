import type { UserProfile } from '@userprofile/domain';
import { ETAG } from './request-headers';

/** A strong ETag from the profile's version, which changes with every modification. */
export const etagOf = (profile: UserProfile) => `"${profile.version}"`;

/**
 * The version an `If-Match` header requires: `undefined` when absent or `*` (any current version),
 * otherwise the version of the one strong ETag given. An ETag that cannot be ours (weak, junk,
 * several) can never match: it yields -1, so the write fails its precondition (412).
 */
export function expectedVersionFrom(ifMatch: string | string[] | undefined): number | undefined {
  if (ifMatch === undefined) return undefined;
  const value = Array.isArray(ifMatch) ? ifMatch.join(',') : ifMatch;
  if (value.trim() === '*') return undefined;
  const match = ETAG.pattern.exec(value.trim());
  return match ? Number(match[1]) : -1;
}

/** True when `If-None-Match` names the current ETag (weak comparison, as RFC 9110 asks), or is `*`. */
export function noneMatchHits(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
