import { assertMayBrowse, type Actor } from '../actor';
import { ValidationFailed } from '../errors';
import type { Clock, Page, UserProfileRepository } from '../ports';
import { currentSuspension } from '../suspension';
import type { UserProfile } from '../user-profile';
import { withStanding } from './standing';

export const LIST_LIMITS = { default: 20, min: 1, max: 100 } as const;

export interface ListUserProfilesQuery {
  limit?: number;
  /** The opaque cursor of the previous page. */
  cursor?: string;
  /** Only active (true) or deactivated (false) profiles. */
  active?: boolean;
  /** Only profiles suspended now, most recently suspended first. */
  suspended?: boolean;
}

export class ListUserProfiles {
  constructor(
    private readonly repository: UserProfileRepository,
    private readonly clock: Clock,
  ) {}

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
    if (query.suspended !== undefined) return this.suspended(query, limit);
    const page = await this.repository.list({ limit, cursor: query.cursor, active: query.active });
    const items = await Promise.all(
      page.items.map((p) => withStanding(this.repository, this.clock, p)),
    );
    return { ...page, items };
  }

  /**
   * The profiles of subjects suspended now. A page may hold fewer than `limit` (a suspension
   * that has reached its end, a subject without a profile) and still have a cursor.
   */
  private async suspended(query: ListUserProfilesQuery, limit: number): Promise<Page> {
    if (query.suspended !== true) {
      throw ValidationFailed.of('suspended', 'may only be true: list everyone without it');
    }
    if (query.active !== undefined) {
      throw ValidationFailed.of('suspended', 'cannot be combined with active');
    }
    const page = await this.repository.listSuspended({ limit, cursor: query.cursor });
    const now = this.clock.now();
    const found = await Promise.all(
      page.items.map(async (record): Promise<UserProfile | undefined> => {
        const suspension = currentSuspension(record, now);
        const profile = suspension && (await this.repository.get(record.userId));
        return profile && { ...profile, blocked: true, suspension };
      }),
    );
    const items = found.filter((p): p is UserProfile => p !== undefined);
    return page.cursor === undefined ? { items } : { items, cursor: page.cursor };
  }
}
