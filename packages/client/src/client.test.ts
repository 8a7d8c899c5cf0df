import { ProfileClient, type UserProfile } from './index';

const userId = '0b5f3c1e-6c1d-4e0a-9d53-7c2a2f1b9e01';
const profile = (version: number, photo = true): UserProfile => ({
  userId,
  email: 'ada@example.com',
  firstName: 'Ada',
  lastName: 'Lovelace',
  active: true,
  blocked: false,
  version,
  emailChangedAt: '2026-01-01T00:00:00.000Z',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-02T00:00:00.000Z',
  ...(photo
    ? {
        photo: {
          urls: {
            '64': 'https://p/64.webp',
            '256': 'https://p/256.webp',
            '1024': 'https://p/1024.webp',
          },
          updatedAt: '2026-01-02T00:00:00.000Z',
        },
      }
    : {}),
});

/**
 * A fake API: the profile (version 2, with a photo) under its id and `me`; removing the photo
 * makes version 3. Records each request's method, path and conditional headers.
 */
function fakeApi() {
  const requests: {
    method: string;
    path: string;
    ifMatch: string | null;
    ifNoneMatch: string | null;
  }[] = [];
  let current = profile(2);
  const json = (body: unknown, etag: string) =>
    new Response(JSON.stringify(body), {
      status: 200,
      headers: { 'content-type': 'application/json', etag },
    });
  const fetchFn = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    const path = new URL(request.url).pathname.replace('/users/me', `/users/${userId}`);
    const ifMatch = request.headers.get('if-match');
    const ifNoneMatch = request.headers.get('if-none-match');
    requests.push({ method: request.method, path, ifMatch, ifNoneMatch });
    const etag = `"${current.version}"`;
    if (request.method === 'GET') {
      if (ifNoneMatch === etag) return new Response(null, { status: 304, headers: { etag } });
      return json(current, etag);
    }
    if (request.method === 'DELETE' && path.endsWith('/photo')) {
      current = profile(current.version + 1, false);
      return new Response(null, { status: 204, headers: { etag: `"${current.version}"` } });
    }
    return new Response(null, { status: 204 });
  };
  return { fetchFn, requests, current: () => current };
}

describe('ProfileClient.removePhoto', () => {
  it.each([
    ['its id', userId],
    ['me', 'me'],
  ])(
    'keeps the new ETag, so that the next delete is conditional on it (profile read as %s)',
    async (_, asked) => {
      const api = fakeApi();
      const client = new ProfileClient({ baseUrl: 'https://api.example.com', fetch: api.fetchFn });
      await client.get(asked);
      await client.removePhoto(asked);
      expect(client.etagOf(asked)).toBe('"3"');
      await client.delete(userId);
      expect(api.requests.map((r) => [r.method, r.path, r.ifMatch])).toEqual([
        ['GET', `/users/${userId}`, null],
        ['DELETE', `/users/${userId}/photo`, '"2"'],
        ['DELETE', `/users/${userId}`, '"3"'],
      ]);
    },
  );

  it('does not answer its copy with the photo afterwards: the next read fetches the profile', async () => {
    const api = fakeApi();
    const client = new ProfileClient({ baseUrl: 'https://api.example.com', fetch: api.fetchFn });
    await client.get(userId);
    await client.removePhoto(userId);
    expect(await client.get(userId)).toEqual(api.current());
    expect(api.requests.at(-1)).toMatchObject({ method: 'GET', ifNoneMatch: null });
    expect(client.etagOf(userId)).toBe('"3"');
  });
});

describe('ProfileClient suspensions (admins)', () => {
  it('suspends, lists the history and lifts, on the subject’s suspension routes', async () => {
    const sent: [string, string, unknown][] = [];
    const entry = {
      reason: 'SPAM',
      suspendedBy: userId,
      suspendedAt: '2026-01-01T00:00:00.000Z',
    };
    const fetchFn = async (input: string | URL | Request, init?: RequestInit) => {
      const request = input instanceof Request ? input : new Request(input, init);
      const body = request.method === 'PUT' ? await request.json() : undefined;
      sent.push([request.method, new URL(request.url).pathname, body]);
      if (request.method === 'DELETE') return new Response(null, { status: 204 });
      const answer = request.method === 'PUT' ? entry : { userId, suspensions: [entry] };
      return new Response(JSON.stringify(answer), {
        headers: { 'content-type': 'application/json' },
      });
    };
    const client = new ProfileClient({ baseUrl: 'https://api.example.com', fetch: fetchFn });
    expect(await client.suspend(userId, { reason: 'SPAM' })).toEqual(entry);
    expect(await client.suspensions(userId)).toEqual([entry]);
    await client.liftSuspension(userId);
    expect(sent).toEqual([
      ['PUT', `/users/${userId}/suspension`, { reason: 'SPAM' }],
      ['GET', `/users/${userId}/suspensions`, undefined],
      ['DELETE', `/users/${userId}/suspension`, undefined],
    ]);
  });
});

describe('the change feed', () => {
  const event = (version: number) => ({
    id: `e${version}`,
    type: 'profile.updated' as const,
    time: '2026-01-01T00:00:00.000Z',
    profileId: userId,
    version,
    actor: { kind: 'owner' as const, id: userId },
    changed: ['lastName'],
  });

  it('asks the feed for the types given, after the cursor given', async () => {
    const urls: string[] = [];
    const client = new ProfileClient({
      baseUrl: 'https://api.example',
      fetch: async (input, init) => {
        const request = input instanceof Request ? input : new Request(input, init);
        urls.push(request.url);
        return Response.json({ events: [event(2)], cursor: 'c2' });
      },
    });
    const page = await client.events({
      after: 'c1',
      types: ['profile.created', 'profile.deleted'],
    });
    expect(page).toEqual({ events: [event(2)], cursor: 'c2' });
    const query = new URL(urls[0]!).searchParams;
    expect([query.get('after'), query.get('types')]).toEqual([
      'c1',
      'profile.created,profile.deleted',
    ]);
  });

  it("follows a history's cursor until its last page", async () => {
    const pages: Record<string, object> = {
      '': { events: [event(3), event(2)], cursor: 'h2' },
      h2: { events: [event(1)] },
    };
    const client = new ProfileClient({
      baseUrl: 'https://api.example',
      fetch: async (input, init) => {
        const request = input instanceof Request ? input : new Request(input, init);
        return Response.json(pages[new URL(request.url).searchParams.get('cursor') ?? '']);
      },
    });
    const versions: number[] = [];
    for await (const events of client.history(userId))
      versions.push(...events.map((e) => e.version));
    expect(versions).toEqual([3, 2, 1]);
  });
});

describe('ProfileClient.list (admins)', () => {
  it('answers one page with its cursor, sending the filters and the cursor given', async () => {
    const urls: URL[] = [];
    const client = new ProfileClient({
      baseUrl: 'https://api.example',
      fetch: async (input, init) => {
        const request = input instanceof Request ? input : new Request(input, init);
        urls.push(new URL(request.url));
        return Response.json({ users: [profile(1)], count: 1, lastKey: 'k2' });
      },
    });
    const page = await client.list({ limit: 5, active: false, lastKey: 'k1' });
    expect(page).toEqual({ users: [profile(1)], count: 1, lastKey: 'k2' });
    expect(urls[0]!.pathname).toBe('/users');
    expect(Object.fromEntries(urls[0]!.searchParams)).toEqual({
      limit: '5',
      active: 'false',
      lastKey: 'k1',
    });
  });
});

describe('ProfileClient.search (admins)', () => {
  it('asks GET /users/search with the one search key, the filters and the cursor', async () => {
    const urls: URL[] = [];
    const client = new ProfileClient({
      baseUrl: 'https://api.example',
      fetch: async (input, init) => {
        const request = input instanceof Request ? input : new Request(input, init);
        urls.push(new URL(request.url));
        return Response.json({ users: [profile(1)], count: 1 });
      },
    });
    const page = await client.search({
      name: 'ada lov',
      active: true,
      createdAfter: '2026-01-01T00:00:00Z',
      lastKey: 'k1',
    });
    expect(page).toEqual({ users: [profile(1)], count: 1 });
    expect(urls[0]!.pathname).toBe('/users/search');
    expect(Object.fromEntries(urls[0]!.searchParams)).toEqual({
      name: 'ada lov',
      active: 'true',
      createdAfter: '2026-01-01T00:00:00Z',
      lastKey: 'k1',
    });
  });
});
