import type { UserProfile } from '@userprofile/domain';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { PhotoAccess } from './photo-access';
import { photoTests } from './photo-api.suite';
import { changingTests } from './profile-changes.suite';
import { publicProfileTests } from './public-profile-api.suite';
import { expectProblem, type AppFactory, type SuiteContext } from './suite-context';
import { newUser } from './test-app';

/**
 * Every route and every error of the API through `app.inject`, run against each store: the
 * in-memory repository (fast) and DynamoDB Local (end to end).
 */
export function describeHttpApi(label: string, factory: AppFactory): void {
  describe(`HTTP API on ${label}`, () => {
    let app: FastifyInstance;
    let photos: PhotoAccess;
    let dispose: (() => Promise<void>) | undefined;
    beforeEach(async () => {
      ({ app, photos, dispose } = await factory());
    });
    afterEach(async () => {
      await app.close();
      await dispose?.();
    });

    async function create(
      body: object = newUser(),
    ): Promise<{ res: LightMyRequestResponse; profile: UserProfile }> {
      const res = await app.inject({ method: 'POST', url: '/users', payload: body });
      return { res, profile: res.json() as UserProfile };
    }

    const t: SuiteContext = {
      get app() {
        return app;
      },
      get photos() {
        return photos;
      },
      create,
    };
    creatingTests(t);
    readingTests(t);
    listingTests(t);
    changingTests(t);
    photoTests(t);
    publicProfileTests(t);
  });
}

/** POST /users, with and without an Idempotency-Key. */
function creatingTests(t: SuiteContext): void {
  describe('POST /users', () => {
    it('creates a profile: 201, Location, ETag and the normalised profile', async () => {
      const { res, profile } = await t.create({
        email: ' Ada@Example.COM ',
        firstName: ' Ada ',
        lastName: 'Lovelace',
        phoneNumber: '+441234567890',
        metadata: { theme: 'dark' },
      });
      expect(res.statusCode).toBe(201);
      expect(res.headers.location).toBe(`/users/${profile.userId}`);
      expect(res.headers.etag).toBe('"1"');
      expect(profile).toMatchObject({
        email: 'ada@example.com',
        firstName: 'Ada',
        active: true,
        version: 1,
        metadata: { theme: 'dark' },
      });
    });

    it('refuses a taken e-mail in any case with 409 EMAIL_TAKEN', async () => {
      await t.create(newUser(1));
      const { res } = await t.create({ ...newUser(2), email: 'USER1@example.com' });
      expectProblem(res, 409, 'EMAIL_TAKEN');
    });

    it('lists every field problem at once with 400 VALIDATION_FAILED', async () => {
      const { res } = await t.create({ email: 'nope', firstName: 7, userId: 'x', extra: true });
      const body = expectProblem(res, 400, 'VALIDATION_FAILED');
      // Exactly these, in any order: the meaning of what has the right type (the e-mail), in the
      // same answer as the types, and nothing else.
      const byField = (problems: { field: string; message: string }[]) =>
        [...problems].sort((a, b) => a.field.localeCompare(b.field));
      expect(byField(body.errors as { field: string; message: string }[])).toEqual(
        byField([
          { field: 'email', message: 'must be a valid e-mail address' },
          { field: 'firstName', message: 'must be a string' },
          { field: 'lastName', message: 'must be a string' },
          { field: 'userId', message: 'is read-only and cannot be set' },
          { field: 'extra', message: 'is not a known field' },
        ]),
      );
    });

    it('lists at most 20 problems, with short field names, however many fields are wrong', async () => {
      const body: Record<string, unknown> = { ['y'.repeat(5_000)]: 1, ...newUser() };
      for (let i = 0; i < 1_000; i++) body[`unknown-${i}-${'x'.repeat(20)}`] = i;
      const res = await t.create(body);
      const problem = expectProblem(res.res, 400, 'VALIDATION_FAILED');
      const errors = problem.errors as { field: string }[];
      expect(errors).toHaveLength(20);
      expect(errors).toContainEqual({
        field: `${'y'.repeat(100)}…`,
        message: 'is not a known field',
      });
      expect(problem.detail).toBe(
        'The request is not valid; see errors (the first 20 of 1001 problems).',
      );
      expect(res.res.body.length).toBeLessThan(4_000);
    });

    it('passes domain rules through as field errors', async () => {
      const { res } = await t.create({ ...newUser(), email: 'not-an-email', phoneNumber: '12345' });
      expect(expectProblem(res, 400, 'VALIDATION_FAILED').errors).toEqual([
        { field: 'email', message: 'must be a valid e-mail address' },
        { field: 'phoneNumber', message: 'must be in E.164 form, e.g. +14155550123' },
      ]);
    });

    it.each([
      ['malformed JSON', '{"email": ', 'application/json', 400, 'MALFORMED_REQUEST'],
      ['an empty body', '', 'application/json', 400, 'MALFORMED_REQUEST'],
      ['a JSON array', '[1,2]', 'application/json', 400, 'VALIDATION_FAILED'],
      ['JSON null', 'null', 'application/json', 400, 'VALIDATION_FAILED'],
      ['a __proto__ key', '{"__proto__": {"x": 1}}', 'application/json', 400, 'MALFORMED_REQUEST'],
      ['text/plain', 'hello', 'text/plain', 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['a merge patch', '{}', 'application/merge-patch+json', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ])('answers %s with %i %s', async (_label, payload, contentType, status, code) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/users',
        payload,
        headers: { 'content-type': contentType },
      });
      expectProblem(res, status, code);
    });

    it('answers a body over 64 KiB with 413', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/users',
        payload: { ...newUser(), metadata: { x: 'y'.repeat(70_000) } },
      });
      expectProblem(res, 413, 'BODY_TOO_LARGE');
    });

    it('answers a request without a content type with 415', async () => {
      const res = await t.app.inject({ method: 'POST', url: '/users' });
      expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });
  });

  describe('POST /users with Idempotency-Key', () => {
    const post = (body: object, key: string) =>
      t.app.inject({
        method: 'POST',
        url: '/users',
        payload: body,
        headers: { 'idempotency-key': key },
      });

    it('answers a retry with the original 201 and creates nothing more', async () => {
      const first = await post(newUser(1), 'retry-key-1');
      const again = await post(newUser(1), 'retry-key-1');
      expect(first.statusCode).toBe(201);
      expect(again.statusCode).toBe(201);
      expect(again.json()).toEqual(first.json());
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      expect((await t.app.inject({ url: '/users' })).json()).toMatchObject({ count: 1 });
    });

    it('forgets the create when its profile is deleted: a replay never answers the deleted profile', async () => {
      const first = await post(newUser(1), 'erased-key');
      const { userId } = first.json() as UserProfile;
      expect((await t.app.inject({ method: 'DELETE', url: `/users/${userId}` })).statusCode).toBe(
        204,
      );
      const again = await post(newUser(1), 'erased-key');
      expect(again.statusCode).toBe(201);
      expect(again.headers['idempotent-replayed']).toBeUndefined();
      expect((again.json() as UserProfile).userId).not.toBe(userId);
    });

    it('answers the same key with a different body with 422', async () => {
      await post(newUser(1), 'retry-key-2');
      expectProblem(await post(newUser(2), 'retry-key-2'), 422, 'IDEMPOTENCY_KEY_REUSED');
    });

    it('refuses a malformed key with 400, and creates nothing', async () => {
      for (const key of ['x'.repeat(300), 'has space']) {
        const body = expectProblem(await post(newUser(1), key), 400, 'VALIDATION_FAILED');
        expect(body.errors).toEqual([
          { field: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' },
        ]);
      }
      expect((await t.app.inject({ url: '/users' })).json()).toMatchObject({ count: 0 });
    });
  });
}

/** GET /users/{userId}, and ids too long. */
function readingTests(t: SuiteContext): void {
  describe('GET /users/{userId}', () => {
    it('returns the profile with its ETag, and 304 for a matching If-None-Match', async () => {
      const { profile } = await t.create();
      const res = await t.app.inject({ url: `/users/${profile.userId}` });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual(profile);
      expect(res.headers.etag).toBe('"1"');
      const cached = await t.app.inject({
        url: `/users/${profile.userId}`,
        headers: { 'if-none-match': '"1"' },
      });
      expect(cached.statusCode).toBe(304);
      expect(cached.body).toBe('');
      const stale = await t.app.inject({
        url: `/users/${profile.userId}`,
        headers: { 'if-none-match': '"0"' },
      });
      expect(stale.statusCode).toBe(200);
      // Personal data: kept by no shared cache, revalidated by a private one.
      for (const answer of [res, cached, stale, await t.app.inject({ url: '/users' })]) {
        expect(answer.headers['cache-control']).toBe('private, no-cache');
      }
      const missing = await t.app.inject({ url: `/users/${profile.userId.replace(/.$/, 'f')}` });
      expect(missing.headers['cache-control']).toBe('private, no-cache');
    });

    it.each([
      '00000000-0000-4000-8000-00000000abcd',
      'not-a-uuid',
      'EMAIL%23user1%40example.com',
      '..%2F..%2Fetc',
      'x'.repeat(150),
    ])('answers 404 PROFILE_NOT_FOUND for %s', async (id) => {
      await t.create();
      expectProblem(await t.app.inject({ url: `/users/${id}` }), 404, 'PROFILE_NOT_FOUND');
    });
  });

  describe('a path too long for an id', () => {
    it('answers 414 URI_TOO_LONG problem+json with a request id, on every method of the path', async () => {
      const url = `/users/${'x'.repeat(201)}`;
      for (const method of ['GET', 'PUT', 'PATCH', 'DELETE'] as const) {
        const res = await t.app.inject({ method, url });
        expect(expectProblem(res, 414, 'URI_TOO_LONG').title).toBe('URI Too Long');
        expect(res.headers).toMatchObject({
          'x-request-id': expect.any(String),
          'content-security-policy': "default-src 'none';frame-ancestors 'none'",
          'x-content-type-options': 'nosniff',
          'x-frame-options': 'DENY',
        });
      }
    });
  });
}

/** GET /users: pages, filters, find by e-mail. */
function listingTests(t: SuiteContext): void {
  describe('GET /users', () => {
    it('lists newest first with an opaque cursor and exact pages', async () => {
      const created: UserProfile[] = [];
      for (let i = 0; i < 5; i++) created.push((await t.create(newUser(i))).profile);
      // Newest first; profiles created in the same millisecond are ordered by id.
      const expected = created
        .map((p) => `${p.createdAt}#${p.userId}`)
        .sort()
        .reverse()
        .map((key) => key.split('#')[1]);
      const first = await t.app.inject({ url: '/users?limit=2' });
      expect(first.statusCode).toBe(200);
      const page1 = first.json() as { users: UserProfile[]; count: number; lastKey: string };
      expect(page1.count).toBe(2);
      expect(typeof page1.lastKey).toBe('string');
      const all = [...page1.users];
      let lastKey: string | undefined = page1.lastKey;
      while (lastKey) {
        const next = (
          await t.app.inject({ url: '/users', query: { limit: '2', lastKey } })
        ).json() as typeof page1;
        all.push(...next.users);
        lastKey = next.lastKey;
      }
      expect(all.map((u) => u.userId)).toEqual(expected);
    });

    it('defaults to 20 per page', async () => {
      for (let i = 0; i < 21; i++) await t.create(newUser(i));
      const body = (await t.app.inject({ url: '/users' })).json() as {
        count: number;
        lastKey?: string;
      };
      expect(body.count).toBe(20);
      expect(body.lastKey).toBeDefined();
    });

    it('finds one profile by e-mail, case-insensitively, or none', async () => {
      const { profile } = await t.create(newUser(7));
      expect((await t.app.inject({ url: '/users?email=USER7@example.com' })).json()).toEqual({
        users: [profile],
        count: 1,
      });
      expect((await t.app.inject({ url: '/users?email=nobody@example.com' })).json()).toEqual({
        users: [],
        count: 0,
      });
    });

    it('filters by the active flag', async () => {
      const { profile } = await t.create(newUser(1));
      await t.create(newUser(2));
      await t.app.inject({
        method: 'PUT',
        url: `/users/${profile.userId}`,
        payload: { active: false },
      });
      const body = (await t.app.inject({ url: '/users?active=false' })).json() as {
        users: UserProfile[];
      };
      expect(body.users.map((u) => u.userId)).toEqual([profile.userId]);
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=-1', 'limit'],
      ['limit=1&limit=2', 'limit'],
      ['lastKey=forged', 'lastKey'],
      ['email=not-an-email', 'email'],
      ['active=yes', 'active'],
      ['email=a@example.com&lastKey=v1.x', 'lastKey'],
      ['unknown=1', 'unknown'],
    ])('answers ?%s with 400 naming %s', async (query, field) => {
      const body = expectProblem(
        await t.app.inject({ url: `/users?${query}` }),
        400,
        'VALIDATION_FAILED',
      );
      expect(body.errors).toContainEqual(expect.objectContaining({ field }));
    });
  });
}
