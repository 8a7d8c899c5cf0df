import { assertMayBrowse, type Actor } from '../actor';
import { ValidationFailed } from '../errors';
import type { Page, UserProfileRepository } from '../ports';

export const LIST_LIMITS = { default: 20, min: 1, max: 100 } as const;

export interface ListUserProfilesQuery {
  limit?: number;
  /** The opaque cursor of the previous page. */
  cursor?: string;
  /** Only active (true) or deactivated (false) profiles. */
  active?: boolean;
}

export class ListUserProfiles {
  constructor(private readonly repository: UserProfileRepository) {}

  /** Newest first; admins only. @throws ValidationFailed on a bad limit or cursor, Forbidden */
  async execute(actor: Actor, query: ListUserProfilesQuery = {}): Promise<Page> {
    assertMayBrowse(actor);
    const limit = query.limit ?? LIST_LIMITS.default;
    if (!Number.isInteger(limit) || limit < LIST_LIMITS.min || limit > LIST_LIMITS.max) {
      throw ValidationFailed.of(
        'limit',
        `must be an integer from ${LIST_LIMITS.min} to ${LIST_LIMITS.max}`,
      );
    }
    if (query.cursor !== undefined && query.cursor.length === 0) {
      throw ValidationFailed.of('cursor', 'must not be empty');
    }
    return this.repository.list({ limit, cursor: query.cursor, active: query.active });
  }
}
