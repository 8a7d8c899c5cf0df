import type { LightMyRequestResponse } from 'fastify';
import { expectProblem, type SuiteContext } from './suite-context';
import { newUser } from './test-app';

const MERGE_PATCH = { 'content-type': 'application/merge-patch+json' };

/** Handles and public profiles, through the HTTP API (the open API: every caller may read them). */
export function publicProfileTests(t: SuiteContext): void {
  const patch = (userId: string, payload: object) =>
    t.app.inject({ method: 'PATCH', url: `/users/${userId}`, headers: MERGE_PATCH, payload });

  describe('metadata tiers in the open API', () => {
    it('lets its caller (everyone’s administrator) write appMetadata, and names shape problems first', async () => {
      const { res, profile } = await t.create({ ...newUser(1), appMetadata: { plan: 'pro' } });
      expect(res.statusCode).toBe(201);
      expect(profile.appMetadata).toEqual({ plan: 'pro' });
      const body = expectProblem(
        await t.app.inject({
          method: 'POST',
          url: '/users',
          payload: { ...newUser(2), firstName: 5, appMetadata: { plan: 'pro' } },
        }),
        400,
        'VALIDATION_FAILED',
      );
      expect(body.errors).toEqual([{ field: 'firstName', message: 'must be a string' }]);
    });
  });

  describe('usernames', () => {
    it('refuses a handle another profile holds in any case with 409 USERNAME_TAKEN', async () => {
      const { profile: ada } = await t.create({ ...newUser(1), username: 'Ada_L' });
      const { profile: bob } = await t.create(newUser(2));
      expectProblem(await patch(bob.userId, { username: 'ada_l' }), 409, 'USERNAME_TAKEN');
      expectProblem(
        await t.app.inject({
          method: 'POST',
          url: '/users',
          payload: { ...newUser(3), username: 'ADA_L' },
        }),
        409,
        'USERNAME_TAKEN',
      );
      expect((await patch(ada.userId, { username: 'countess' })).statusCode).toBe(200);
      expect((await patch(bob.userId, { username: 'Ada_L' })).json()).toMatchObject({
        username: 'Ada_L',
      });
    });

    it('refuses reserved and malformed handles with 400 naming the field', async () => {
      const { profile } = await t.create();
      for (const username of ['admin', 'Support', 'a', 'no spaces']) {
        const body = expectProblem(
          await patch(profile.userId, { username }),
          400,
          'VALIDATION_FAILED',
        );
        expect(body.errors).toEqual([{ field: 'username', message: expect.any(String) }]);
      }
    });
  });

  describe('GET /users/{userId}/public', () => {
    it('shows only the public fields, with an ETag and a short private cache lifetime', async () => {
      const { profile } = await t.create({
        ...newUser(1),
        phoneNumber: '+441234567890',
        username: 'ada',
        metadata: { secret: 'private' },
        publicMetadata: { bio: 'Analyst' },
        appMetadata: { plan: 'pro' },
      });
      const res = await t.app.inject({ url: `/users/${profile.userId}/public` });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        userId: profile.userId,
        username: 'ada',
        displayName: 'Ada L.',
        publicMetadata: { bio: 'Analyst' },
      });
      expect(res.headers['cache-control']).toBe('private, max-age=60');
      const etag = String(res.headers.etag);
      const again = await t.app.inject({
        url: `/users/${profile.userId}/public`,
        headers: { 'if-none-match': etag },
      });
      expect([again.statusCode, again.body]).toEqual([304, '']);
      await patch(profile.userId, { publicMetadata: { bio: 'Poet' } });
      const changed = await t.app.inject({
        url: `/users/${profile.userId}/public`,
        headers: { 'if-none-match': etag },
      });
      expect(changed.statusCode).toBe(200);
      expect(changed.headers.etag).not.toBe(etag);
    });

    it('is 404 for a suspended, deactivated or unknown profile', async () => {
      const { profile: suspended } = await t.create(newUser(1));
      const { profile: deactivated } = await t.create(newUser(2));
      await t.app.inject({
        method: 'PUT',
        url: `/users/${suspended.userId}/suspension`,
        payload: { reason: 'SPAM' },
      });
      await patch(deactivated.userId, { active: false });
      for (const id of [
        suspended.userId,
        deactivated.userId,
        '00000000-0000-4000-8000-000000000999',
      ]) {
        expectProblem(await t.app.inject({ url: `/users/${id}/public` }), 404, 'PROFILE_NOT_FOUND');
      }
    });
  });

  describe('GET /users/public', () => {
    const get = (query: string): Promise<LightMyRequestResponse> =>
      t.app.inject({ url: `/users/public?${query}` });

    it('answers a batch in the order asked, listing the ids it cannot return', async () => {
      const { profile: a } = await t.create(newUser(1));
      const { profile: b } = await t.create(newUser(2));
      const { profile: gone } = await t.create(newUser(3));
      await t.app.inject({ method: 'DELETE', url: `/users/${gone.userId}` });
      const res = await get(`ids=${b.userId},${gone.userId},${a.userId}`);
      expect(res.statusCode).toBe(200);
      const body = res.json() as { profiles: { userId: string }[]; missing: string[] };
      expect(body.profiles.map((p) => p.userId)).toEqual([b.userId, a.userId]);
      expect(body.missing).toEqual([gone.userId]);
      expect(res.body).not.toContain('@example.com');
      expect(res.headers['cache-control']).toBe('private, max-age=60');
    });

    it('finds one profile by username in any case', async () => {
      const { profile } = await t.create({ ...newUser(1), username: 'Grace_H' });
      expect((await get('username=grace_h')).json()).toMatchObject({
        profiles: [{ userId: profile.userId, username: 'Grace_H' }],
        missing: [],
      });
      expect((await get('username=nobody')).json()).toEqual({ profiles: [], missing: ['nobody'] });
    });

    it('refuses neither or both parameters, more than 100 ids and malformed ids with 400', async () => {
      const ids = Array.from(
        { length: 101 },
        (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      );
      for (const query of [
        '',
        'ids=x&username=abc',
        `ids=${ids.join(',')}`,
        'ids=not-an-id',
        'username=a b',
      ]) {
        expectProblem(await get(query), 400, 'VALIDATION_FAILED');
      }
    });
  });
}
