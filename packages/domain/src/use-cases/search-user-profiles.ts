import { assertMayBrowse, type Actor } from '../actor';
import { ValidationFailed, type FieldProblem } from '../errors';
import type { Clock, Page, UserProfileRepository } from '../ports';
import {
  normaliseSearchText,
  SEARCH_FIELDS,
  SEARCH_LIMITS,
  type ProfileSearch,
  type SearchCriteria,
  type SearchField,
} from '../profile-search';
import { currentSuspension } from '../suspension';
import { LIST_LIMITS } from './list-user-profiles';

/** A search as asked: exactly one of the fields, the filters as sent. */
export interface SearchUserProfilesQuery {
  readonly name?: string;
  readonly email?: string;
  readonly emailDomain?: string;
  readonly username?: string;
  readonly active?: boolean;
  /** Only profiles suspended now (true) or not (false). */
  readonly suspended?: boolean;
  /** RFC 3339 date-times; exclusive. */
  readonly createdAfter?: string;
  readonly createdBefore?: string;
  readonly limit?: number;
  readonly cursor?: string;
}

/** RFC 3339's date-time (a time zone required; seconds' fractions of any length). */
const RFC3339 = /^\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(?:\.\d+)?(?:[Zz]|[+-]\d\d:\d\d)$/;

/**
 * Administrators' search of profiles (`ProfileSearch`), newest first, each answered with its
 * standing as every profile answer is (one batch of suspension records per page). `suspended`
 * filters the page by that standing: a page may then hold fewer profiles than `limit`, as the
 * port's pages may, and the cursor goes on as it does.
 */
export class SearchUserProfiles {
  constructor(
    private readonly search: ProfileSearch,
    private readonly repository: UserProfileRepository,
    private readonly clock: Clock,
  ) {}

  /** @throws ValidationFailed naming every bad parameter, Forbidden */
  async execute(actor: Actor, query: SearchUserProfilesQuery): Promise<Page> {
    assertMayBrowse(actor);
    const problems: FieldProblem[] = [];
    const criteria = criteriaOf(query, problems);
    const limit = query.limit ?? LIST_LIMITS.default;
    if (!Number.isInteger(limit) || limit < LIST_LIMITS.min || limit > LIST_LIMITS.max) {
      problems.push({
        field: 'limit',
        message: `must be an integer from ${LIST_LIMITS.min} to ${LIST_LIMITS.max}`,
      });
    }
    if (query.cursor !== undefined && query.cursor.length === 0) {
      problems.push({ field: 'cursor', message: 'must not be empty' });
    }
    if (problems.length > 0 || !criteria) throw new ValidationFailed(problems);
    const page = await this.search.search(criteria, { limit, cursor: query.cursor });
    const records = await this.repository.getSuspensionsOf(page.items.map((p) => p.userId));
    const recordOf = new Map(records.map((r) => [r.userId, r]));
    const now = this.clock.now();
    const items = page.items.flatMap((p) => {
      const suspension = currentSuspension(recordOf.get(p.userId), now);
      if (query.suspended !== undefined && query.suspended !== (suspension !== undefined))
        return [];
      return [suspension ? { ...p, blocked: true, suspension } : p];
    });
    return { ...page, items };
  }
}

/** The criteria of a query, or `undefined` with its problems added to `problems`. */
function criteriaOf(
  query: SearchUserProfilesQuery,
  problems: FieldProblem[],
): SearchCriteria | undefined {
  const given = SEARCH_FIELDS.filter((f) => query[f] !== undefined);
  if (given.length !== 1) {
    const named = given.length === 0 ? SEARCH_FIELDS : given;
    const message = `give exactly one of ${SEARCH_FIELDS.join(', ')}${given.length > 1 ? ', not several' : ''}`;
    for (const field of named) problems.push({ field, message });
  }
  const field: SearchField | undefined = given.length === 1 ? given[0] : undefined;
  const term = field === undefined ? undefined : normaliseSearchText(query[field] ?? '');
  if (field !== undefined && term !== undefined) {
    if (term.length === 0) problems.push({ field, message: 'must not be empty' });
    else if (term.length > SEARCH_LIMITS.termMaxLength) {
      problems.push({
        field,
        message: `must be at most ${SEARCH_LIMITS.termMaxLength} characters`,
      });
    }
  }
  const createdAfter = instant(query.createdAfter, 'createdAfter', problems);
  const createdBefore = instant(query.createdBefore, 'createdBefore', problems);
  if (field === undefined || term === undefined || problems.length > 0) return undefined;
  return {
    field,
    term,
    ...(query.active === undefined ? {} : { active: query.active }),
    ...(createdAfter === undefined ? {} : { createdAfter }),
    ...(createdBefore === undefined ? {} : { createdBefore }),
  };
}

/** An RFC 3339 date-time as ISO-8601 UTC with milliseconds (the form `createdAt` is stored in). */
function instant(
  raw: string | undefined,
  field: string,
  problems: FieldProblem[],
): string | undefined {
  if (raw === undefined) return undefined;
  const ms = RFC3339.test(raw) && realDate(raw) ? Date.parse(raw) : NaN;
  if (!Number.isFinite(ms) || ms < 0 || ms > Date.UTC(9999, 11, 31, 23, 59, 59, 999)) {
    problems.push({ field, message: 'must be an RFC 3339 date-time, e.g. 2026-01-31T12:00:00Z' });
    return undefined;
  }
  return new Date(ms).toISOString();
}

/** Whether the date and time named exist (JavaScript's parser rolls 30 February into March). */
function realDate(raw: string): boolean {
  const [y, m, d, h, min, sec] = (raw.match(/\d+/g) ?? []).map(Number);
  if ([y, m, d, h, min, sec].some((n) => n === undefined)) return false;
  const day = new Date(Date.UTC(y!, m! - 1, d!));
  return (
    day.getUTCMonth() === m! - 1 && day.getUTCDate() === d! && h! < 24 && min! < 60 && sec! < 61
  );
}
