import type { ProfileClient } from '@userprofile/client';
import { loadUsers, queryOf, searchOf } from './user-query';

/** A client that records what it was asked. */
function recording() {
  const calls: [string, unknown][] = [];
  const page = { users: [], count: 0 };
  const api = {
    list: async (query: unknown) => (calls.push(['list', query]), page),
    search: async (query: unknown) => (calls.push(['search', query]), page),
  } as unknown as ProfileClient;
  return { api, calls };
}

describe("the users page's query", () => {
  it('lists without a term (the suspended too), and searches with one', async () => {
    const { api, calls } = recording();
    await loadUsers(api, queryOf(new URLSearchParams('status=suspended')));
    await loadUsers(api, queryOf(new URLSearchParams('q=ada%20lov&status=inactive&lastKey=k')));
    await loadUsers(
      api,
      queryOf(new URLSearchParams('q=gmail.com&by=emailDomain&after=2026-11-25&before=2026-12-02')),
    );
    await loadUsers(api, queryOf(new URLSearchParams('q=ada&status=suspended')));
    expect(calls).toEqual([
      ['list', { limit: 20, suspended: true }],
      ['search', { name: 'ada lov', active: false, limit: 20, lastKey: 'k' }],
      [
        'search',
        {
          emailDomain: 'gmail.com',
          limit: 20,
          createdAfter: '2026-11-25T00:00:00Z',
          createdBefore: '2026-12-02T00:00:00Z',
        },
      ],
      ['search', { name: 'ada', suspended: true, limit: 20 }],
    ]);
  });

  it('says what to change when the API could not answer the filters asked', async () => {
    const { api, calls } = recording();
    await expect(loadUsers(api, queryOf(new URLSearchParams('after=2026-01-01')))).rejects.toThrow(
      'type a name',
    );
    expect(calls).toEqual([]);
  });

  it('is held in the URL, and read back the same', () => {
    const query = queryOf(new URLSearchParams('q=ada&by=username&status=active&lastKey=k'));
    expect(searchOf(query)).toBe('?q=ada&by=username&status=active&lastKey=k');
    expect(queryOf(new URLSearchParams(searchOf(query)))).toEqual(query);
    expect(searchOf(queryOf(new URLSearchParams('by=nonsense')))).toBe('');
  });
});
