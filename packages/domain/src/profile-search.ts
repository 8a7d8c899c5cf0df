import type { Page } from './ports';
import type { UserProfile } from './user-profile';

/** What an administrator may search profiles by: exactly one of these per search. */
export const SEARCH_FIELDS = ['name', 'email', 'emailDomain', 'username'] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];

export const SEARCH_LIMITS = {
  /** The longest search term, in characters once normalised. */
  termMaxLength: 100,
} as const;

/**
 * A search as the port receives it: checked and normalised by the use case. `term` is normalised
 * (`normaliseSearchText`); the dates are ISO-8601 UTC with milliseconds, both exclusive.
 */
export interface SearchCriteria {
  readonly field: SearchField;
  readonly term: string;
  /** Only profiles with this `active` flag (as on the list). */
  readonly active?: boolean;
  /** Only profiles created strictly after this instant. */
  readonly createdAfter?: string;
  /** Only profiles created strictly before this instant. */
  readonly createdBefore?: string;
}

export interface SearchPageRequest {
  readonly limit: number;
  /** The `cursor` of the previous page of the same search; any other is a `ValidationFailed`. */
  readonly cursor?: string;
}

/**
 * Finds profiles by the prefix of a name, e-mail address or handle, or by e-mail domain, newest
 * first, with no cap on how far one pages. A page may hold fewer than `limit` profiles (even none)
 * and still have a cursor, so that one request does a bounded amount of work however rare the
 * matches are; the last page has no cursor. A profile is findable as soon as its write is.
 */
export interface ProfileSearch {
  /** @throws ValidationFailed on a cursor that is not one of this search's. */
  search(criteria: SearchCriteria, page: SearchPageRequest): Promise<Page>;
}

/**
 * Text as searches compare it: compatibility-decomposed (NFKD), without combining marks, lower
 * case, runs of white space as one space, trimmed. "  José\u00a0Ñúñez" is "jose nunez".
 */
export function normaliseSearchText(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/**
 * The normalised terms a profile is found by, per field: its full name and its last name (a
 * prefix of the full name is a prefix of the first name), its e-mail address, the address's
 * domain, and its handle when it has one.
 */
export function searchTermsOf(profile: UserProfile): Record<SearchField, readonly string[]> {
  const fullName = normaliseSearchText(`${profile.firstName} ${profile.lastName}`);
  const lastName = normaliseSearchText(profile.lastName);
  const email = normaliseSearchText(profile.email);
  const domain = email.slice(email.lastIndexOf('@') + 1);
  return {
    name: fullName === lastName ? [fullName] : [fullName, lastName],
    email: [email],
    emailDomain: [domain],
    username: profile.username === undefined ? [] : [normaliseSearchText(profile.username)],
  };
}

/** Whether a profile answers a search: the one definition every adapter checks against. */
export function matchesSearch(profile: UserProfile, criteria: SearchCriteria): boolean {
  const terms = searchTermsOf(profile)[criteria.field];
  const matched =
    criteria.field === 'emailDomain'
      ? terms.includes(criteria.term)
      : terms.some((t) => t.startsWith(criteria.term));
  return (
    matched &&
    (criteria.active === undefined || profile.active === criteria.active) &&
    (criteria.createdAfter === undefined || profile.createdAt > criteria.createdAfter) &&
    (criteria.createdBefore === undefined || profile.createdAt < criteria.createdBefore)
  );
}
