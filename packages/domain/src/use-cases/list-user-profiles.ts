import { assertMayBrowse, type Actor } from '../actor';
import { ValidationFailed } from '../errors';
import type { Clock, Page, UserProfileRepository } from '../ports';
import { currentSuspension } from '../suspension';
import type { UserProfile } from '../user-profile';
import { withStandings } from './standing';

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
    return { ...page, items: await withStandings(this.repository, this.clock, page.items) };
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
    const inForce = new Map(
      page.items.flatMap((record) => {
        const suspension = currentSuspension(record, now);
        return suspension ? [[record.userId, suspension] as const] : [];
      }),
    );
    // One batch for the page's profiles, answered in the records' order (most recent first).
    const profiles = new Map(
      (await this.repository.getMany([...inForce.keys()])).map((p) => [p.userId, p]),
    );
    const items = [...inForce].flatMap(([userId, suspension]): UserProfile[] => {
      const profile = profiles.get(userId);
      return profile ? [{ ...profile, blocked: true, suspension }] : [];
    });
    return page.cursor === undefined ? { items } : { items, cursor: page.cursor };
  }
}
