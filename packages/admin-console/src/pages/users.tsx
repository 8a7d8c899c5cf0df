import type { ProfileClient, ProfilePage, UserProfile } from '@userprofile/client';
import { useEffect, useState } from 'preact/hooks';
import { ProblemMessage } from '../problem';
import { href, navigate, usePageHeading } from '../router';
import { takeFlash } from '../flash';
import { formatDate, statusOf } from '../format';

const PAGE_SIZE = 20;
const STATUSES = { all: 'All', active: 'Active', inactive: 'Deactivated', suspended: 'Suspended' };
type Status = keyof typeof STATUSES;

/** The list's filters, as the page's URL holds them (so that a page can be linked to). */
type Filters = { email: string; status: Status; lastKey?: string };

function filtersOf(query: URLSearchParams): Filters {
  const status = query.get('status');
  return {
    email: query.get('email') ?? '',
    status: status && status in STATUSES ? (status as Status) : 'all',
    ...(query.get('lastKey') ? { lastKey: query.get('lastKey')! } : {}),
  };
}

function queryOf(filters: Filters): string {
  const query = new URLSearchParams();
  if (filters.email) query.set('email', filters.email);
  if (filters.status !== 'all') query.set('status', filters.status);
  if (filters.lastKey) query.set('lastKey', filters.lastKey);
  return query.size ? `?${query}` : '';
}

/** One page of `GET /users`: an exact e-mail, or the newest first with a filter. */
async function load(api: ProfileClient, filters: Filters): Promise<ProfilePage> {
  if (filters.email) {
    const found = await api.findByEmail(filters.email);
    return { users: found ? [found] : [], count: found ? 1 : 0 };
  }
  const { status, lastKey } = filters;
  return api.list({
    limit: PAGE_SIZE,
    ...(lastKey ? { lastKey } : {}),
    ...(status === 'suspended' ? { suspended: true as const } : {}),
    ...(status === 'active' || status === 'inactive' ? { active: status === 'active' } : {}),
  });
}

/** The users: find by e-mail, filter by status, page through newest first. */
export function UsersPage({ api, query }: { api: ProfileClient; query: URLSearchParams }) {
  const heading = usePageHeading('Users');
  const filters = filtersOf(query);
  const [form, setForm] = useState(filters);
  const [page, setPage] = useState<ProfilePage>();
  const [error, setError] = useState<unknown>();
  const [flash] = useState(takeFlash);
  const key = queryOf(filters);
  useEffect(() => {
    setForm(filtersOf(query));
    setPage(undefined);
    setError(undefined);
    load(api, filtersOf(query)).then(setPage, setError);
  }, [key]);

  const submit = (event: Event) => {
    event.preventDefault();
    navigate(queryOf({ email: form.email.trim(), status: form.status }));
  };

  return (
    <section>
      <h1 tabIndex={-1} ref={heading}>
        Users
      </h1>
      {flash ? (
        <p role="status" class="done">
          {flash}
        </p>
      ) : null}
      <form role="search" aria-label="Users" onSubmit={submit} class="filters">
        <div>
          <label for="email">E-mail address</label>
          <input
            id="email"
            type="email"
            value={form.email}
            aria-describedby="email-help"
            onInput={(e) => setForm({ ...form, email: e.currentTarget.value })}
          />
          <small id="email-help">The whole address, any case.</small>
        </div>
        <div>
          <label for="status">Status</label>
          <select
            id="status"
            value={form.status}
            onChange={(e) => setForm({ ...form, status: e.currentTarget.value as Status })}
          >
            {Object.entries(STATUSES).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Search</button>
      </form>
      <ProblemMessage error={error} />
      {page ? (
        <UsersTable page={page} filters={filters} />
      ) : error ? null : (
        <p role="status">Loading…</p>
      )}
    </section>
  );
}

function UsersTable({ page, filters }: { page: ProfilePage; filters: Filters }) {
  return (
    <>
      <p role="status">
        {page.count === 0 ? 'No user on this page.' : `${page.count} users on this page.`}
        {page.lastKey ? ' More follow.' : ''}
      </p>
      {page.users.length ? (
        <table>
          <caption>Users, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">E-mail</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {page.users.map((user: UserProfile) => (
              <tr key={user.userId}>
                <th scope="row">
                  <a href={href(`users/${encodeURIComponent(user.userId)}`)}>
                    {user.firstName} {user.lastName}
                  </a>
                </th>
                <td>{user.email}</td>
                <td>{statusOf(user)}</td>
                <td>{formatDate(user.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <nav aria-label="Pages" class="pages">
        {filters.lastKey ? (
          <a href={href(queryOf({ ...filters, lastKey: undefined }))}>First page</a>
        ) : null}
        {page.lastKey ? (
          <a href={href(queryOf({ ...filters, lastKey: page.lastKey }))}>Next page</a>
        ) : null}
      </nav>
    </>
  );
}
