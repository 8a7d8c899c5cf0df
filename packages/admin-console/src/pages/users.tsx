import type { ProfileClient, ProfilePage, UserProfile } from '@userprofile/client';
import { useEffect, useState } from 'preact/hooks';
import { takeFlash } from '../flash';
import { formatDate, statusOf } from '../format';
import { ProblemMessage } from '../problem';
import { href, navigate, usePageHeading } from '../router';
import { FIELDS, loadUsers, queryOf, searchOf, STATUSES, type UserQuery } from './user-query';

/** The users: search by name, e-mail or handle, filter by status and creation, page on. */
export function UsersPage({ api, params }: { api: ProfileClient; params: URLSearchParams }) {
  const heading = usePageHeading('Users');
  const query = queryOf(params);
  const key = searchOf(query);
  const [page, setPage] = useState<ProfilePage>();
  const [error, setError] = useState<unknown>();
  const [flash] = useState(takeFlash);
  useEffect(() => {
    // A new search re-makes the form: the focus goes back to the page's heading, not the body.
    heading.current?.focus();
    setPage(undefined);
    setError(undefined);
    loadUsers(api, queryOf(params)).then(setPage, setError);
  }, [key]);

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
      <SearchForm key={key} initial={query} />
      <ProblemMessage error={error} />
      {page ? (
        <UsersTable page={page} query={query} />
      ) : error ? null : (
        <p role="status">Loading…</p>
      )}
    </section>
  );
}

function SearchForm({ initial }: { initial: UserQuery }) {
  const [form, setForm] = useState(initial);
  const set = (change: Partial<UserQuery>) => setForm({ ...form, ...change });
  const submit = (event: Event) => {
    event.preventDefault();
    navigate(searchOf({ ...form, term: form.term.trim(), lastKey: undefined }));
  };
  return (
    <form role="search" aria-label="Users" onSubmit={submit} class="filters">
      <div>
        <label for="by">Search by</label>
        <select
          id="by"
          value={form.by}
          onChange={(e) => set({ by: e.currentTarget.value as UserQuery['by'] })}
        >
          {Object.entries(FIELDS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label for="term">Search for</label>
        <input
          id="term"
          type="search"
          value={form.term}
          onInput={(e) => set({ term: e.currentTarget.value })}
        />
      </div>
      <div>
        <label for="status">Status</label>
        <select
          id="status"
          value={form.status}
          onChange={(e) => set({ status: e.currentTarget.value as UserQuery['status'] })}
        >
          {Object.entries(STATUSES).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label for="after">Created from (UTC day)</label>
        <input
          id="after"
          type="date"
          value={form.after}
          onInput={(e) => set({ after: e.currentTarget.value })}
        />
      </div>
      <div>
        <label for="before">Created before (UTC day)</label>
        <input
          id="before"
          type="date"
          value={form.before}
          onInput={(e) => set({ before: e.currentTarget.value })}
        />
      </div>
      <button type="submit">Search</button>
    </form>
  );
}

function UsersTable({ page, query }: { page: ProfilePage; query: UserQuery }) {
  return (
    <>
      <p role="status">
        {page.count === 0
          ? 'No user on this page.'
          : `${page.count} user${page.count === 1 ? '' : 's'} on this page.`}
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
        {query.lastKey ? (
          <a href={href(searchOf({ ...query, lastKey: undefined }))}>First page</a>
        ) : null}
        {page.lastKey ? (
          <a href={href(searchOf({ ...query, lastKey: page.lastKey }))}>Next page</a>
        ) : null}
      </nav>
    </>
  );
}
