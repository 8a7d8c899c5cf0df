import type { ProfileClient, ProfilePage } from '@userprofile/client';

const PAGE_SIZE = 20;
export const FIELDS = {
  name: 'Name (start of first, last or full name)',
  email: 'E-mail (start)',
  emailDomain: 'E-mail domain (whole)',
  username: 'Handle (start)',
} as const;
export const STATUSES = {
  all: 'All',
  active: 'Active',
  inactive: 'Deactivated',
  suspended: 'Suspended',
} as const;
type Field = keyof typeof FIELDS;
type Status = keyof typeof STATUSES;

/** The users page's query, as its URL holds it (so that a page of results can be linked to). */
export type UserQuery = {
  term: string;
  by: Field;
  status: Status;
  /** Days (`YYYY-MM-DD`, UTC), from the start of which profiles were created. */
  after: string;
  before: string;
  lastKey?: string;
};

const pick = <T extends string>(value: string | null, allowed: object, fallback: T): T =>
  value && value in allowed ? (value as T) : fallback;

export function queryOf(params: URLSearchParams): UserQuery {
  return {
    term: params.get('q') ?? '',
    by: pick(params.get('by'), FIELDS, 'name'),
    status: pick(params.get('status'), STATUSES, 'all'),
    after: params.get('after') ?? '',
    before: params.get('before') ?? '',
    ...(params.get('lastKey') ? { lastKey: params.get('lastKey')! } : {}),
  };
}

export function searchOf(query: UserQuery): string {
  const params = new URLSearchParams();
  if (query.term) params.set('q', query.term);
  if (query.term && query.by !== 'name') params.set('by', query.by);
  if (query.status !== 'all') params.set('status', query.status);
  if (query.after) params.set('after', query.after);
  if (query.before) params.set('before', query.before);
  if (query.lastKey) params.set('lastKey', query.lastKey);
  return params.size ? `?${params}` : '';
}

const startOfDay = (day: string) => `${day}T00:00:00Z`;

/**
 * One page of users: a search (`GET /users/search`) when there is a term or a date, otherwise
 * the list (`GET /users`). Either filters by status.
 */
export async function loadUsers(api: ProfileClient, query: UserQuery): Promise<ProfilePage> {
  const { term, by, status, after, before, lastKey } = query;
  const active =
    status === 'active' || status === 'inactive' ? { active: status === 'active' } : {};
  const paging = { limit: PAGE_SIZE, ...(lastKey ? { lastKey } : {}) };
  if (!term && !after && !before) {
    return api.list({
      ...paging,
      ...active,
      ...(status === 'suspended' ? { suspended: true as const } : {}),
    });
  }
  if (!term) throw new Error('The dates filter a search: type a name, an e-mail or a handle too.');
  return api.search({
    [by]: term.trim(),
    ...active,
    ...(status === 'suspended' ? { suspended: true } : {}),
    ...paging,
    ...(after ? { createdAfter: startOfDay(after) } : {}),
    ...(before ? { createdBefore: startOfDay(before) } : {}),
  });
}
