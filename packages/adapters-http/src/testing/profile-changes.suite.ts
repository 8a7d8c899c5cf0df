import type { UserProfile } from '@userprofile/domain';
import { expectProblem, type SuiteContext } from './suite-context';
import { newUser } from './test-app';

/** PUT, PATCH and DELETE of a profile: part of the HTTP suite (`describeHttpApi` runs it). */
export function changingTests(t: SuiteContext): void {
  updatingTests(t);
  patchingTests(t);
  deletingTests(t);
}

/** PUT /users/{userId}. */
function updatingTests(t: SuiteContext): void {
  describe('PUT /users/{userId}', () => {
    it('replaces given fields, keeps others, and moves the ETag', async () => {
      const { profile } = await t.create({ ...newUser(), phoneNumber: '+441234567890' });
      const res = await t.app.inject({
        method: 'PUT',
        url: `/users/${profile.userId}`,
        payload: { lastName: 'King', active: false },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        lastName: 'King',
        firstName: 'Ada',
        phoneNumber: '+441234567890',
        active: false,
        version: 2,
      });
      expect(res.headers.etag).toBe('"2"');
    });

    it('honours If-Match: a stale ETag is 412 and changes nothing', async () => {
      const { profile } = await t.create();
      const url = `/users/${profile.userId}`;
      expect(
        (
          await t.app.inject({
            method: 'PUT',
            url,
            payload: { firstName: 'B' },
            headers: { 'if-match': '"1"' },
          })
        ).statusCode,
      ).toBe(200);
      expectProblem(
        await t.app.inject({
          method: 'PUT',
          url,
          payload: { firstName: 'C' },
          headers: { 'if-match': '"1"' },
        }),
        412,
        'VERSION_CONFLICT',
      );
      expectProblem(
        await t.app.inject({
          method: 'PUT',
          url,
          payload: { firstName: 'C' },
          headers: { 'if-match': 'junk' },
        }),
        412,
        'VERSION_CONFLICT',
      );
      expectProblem(
        await t.app.inject({
          method: 'PUT',
          url,
          payload: { firstName: 'C' },
          headers: { 'if-match': 'W/"2"' },
        }),
        412,
        'VERSION_CONFLICT',
      );
      expect((await t.app.inject({ url })).json()).toMatchObject({ firstName: 'B', version: 2 });
      expect(
        (
          await t.app.inject({
            method: 'PUT',
            url,
            payload: { firstName: 'D' },
            headers: { 'if-match': '*' },
          })
        ).statusCode,
      ).toBe(200);
    });

    it('never creates: 404 for an absent profile', async () => {
      expectProblem(
        await t.app.inject({
          method: 'PUT',
          url: '/users/00000000-0000-4000-8000-000000000999',
          payload: { firstName: 'X' },
        }),
        404,
        'PROFILE_NOT_FOUND',
      );
      expect((await t.app.inject({ url: '/users' })).json()).toEqual({ users: [], count: 0 });
    });

    it('refuses read-only, unknown and no fields, and an e-mail taken by another', async () => {
      const { profile } = await t.create(newUser(1));
      await t.create(newUser(2));
      const url = `/users/${profile.userId}`;
      for (const payload of [
        { version: 3 },
        { createdAt: 'x' },
        { updatedAt: 'x' },
        { userId: 'x' },
        { nickname: 'x' },
        {},
      ]) {
        expectProblem(
          await t.app.inject({ method: 'PUT', url, payload }),
          400,
          'VALIDATION_FAILED',
        );
      }
      expectProblem(
        await t.app.inject({ method: 'PUT', url, payload: { email: 'User2@example.com' } }),
        409,
        'EMAIL_TAKEN',
      );
    });
  });
}

/** PATCH /users/{userId}. */
function patchingTests(t: SuiteContext): void {
  describe('PATCH /users/{userId}', () => {
    const patch = (url: string, payload: object, headers: Record<string, string> = {}) =>
      t.app.inject({
        method: 'PATCH',
        url,
        payload: JSON.stringify(payload),
        headers: { 'content-type': 'application/merge-patch+json', ...headers },
      });

    it('applies an RFC 7396 merge patch', async () => {
      const { profile } = await t.create({
        ...newUser(),
        phoneNumber: '+441234567890',
        metadata: { a: 1, b: { c: 2, d: 3 } },
      });
      const res = await patch(`/users/${profile.userId}`, {
        phoneNumber: null,
        metadata: { a: null, b: { d: null, e: 4 } },
      });
      expect(res.statusCode).toBe(200);
      const body = res.json() as UserProfile;
      expect(body).not.toHaveProperty('phoneNumber');
      expect(body.metadata).toEqual({ b: { c: 2, e: 4 } });
      expect(res.headers.etag).toBe('"2"');
    });

    it('refuses metadata nested too deep with 400 before merging it, however deep', async () => {
      const { profile } = await t.create();
      for (const depth of [9, 4_000]) {
        const nested = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
        const res = await t.app.inject({
          method: 'PATCH',
          url: `/users/${profile.userId}`,
          payload: `{"metadata":${nested}}`,
          headers: { 'content-type': 'application/merge-patch+json' },
        });
        const body = expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(body.errors).toEqual([
          { field: 'metadata', message: 'must be nested at most 8 deep' },
        ]);
      }
    });

    it('stores and answers metadata keys named like Object.prototype members exactly', async () => {
      const metadata = {
        constructor: 1,
        toString: 'x',
        a: { constructor: { name: 'String' }, valueOf: [{ constructor: { name: 'Boolean' } }] },
      };
      const { res, profile } = await t.create({ ...newUser(), metadata });
      expect(res.statusCode).toBe(201);
      expect(profile.metadata).toEqual(metadata);
      const patched = await patch(`/users/${profile.userId}`, {
        metadata: { prototype: { hasOwnProperty: true }, toString: null },
      });
      expect(patched.statusCode).toBe(200);
      const { toString: _removed, ...kept } = metadata;
      const expected = { ...kept, prototype: { hasOwnProperty: true } };
      expect((patched.json() as UserProfile).metadata).toEqual(expected);
      const read = await t.app.inject({ url: `/users/${profile.userId}` });
      expect((read.json() as UserProfile).metadata).toEqual(expected);
    });

    it('refuses the two prototype-poisoning shapes as malformed, and stores nothing', async () => {
      for (const metadata of ['{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}']) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/users',
          headers: { 'content-type': 'application/json' },
          payload: `{"email":"p@example.com","firstName":"P","lastName":"Q","metadata":${metadata}}`,
        });
        expectProblem(res, 400, 'MALFORMED_REQUEST');
      }
      expect((await t.app.inject({ url: '/users' })).json()).toMatchObject({ count: 0 });
    });

    it('refuses to remove required fields, and plain JSON with 415', async () => {
      const { profile } = await t.create();
      const url = `/users/${profile.userId}`;
      expect(
        expectProblem(await patch(url, { email: null }), 400, 'VALIDATION_FAILED').errors,
      ).toEqual([{ field: 'email', message: 'is required and cannot be removed' }]);
      expectProblem(
        await t.app.inject({ method: 'PATCH', url, payload: { firstName: 'X' } }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
    });

    it('has the same 404, 409 and 412 rules as PUT', async () => {
      const { profile } = await t.create(newUser(1));
      await t.create(newUser(2));
      const url = `/users/${profile.userId}`;
      expectProblem(
        await patch('/users/00000000-0000-4000-8000-000000000999', { firstName: 'X' }),
        404,
        'PROFILE_NOT_FOUND',
      );
      expectProblem(await patch(url, { email: 'user2@example.com' }), 409, 'EMAIL_TAKEN');
      expectProblem(
        await patch(url, { firstName: 'X' }, { 'if-match': '"9"' }),
        412,
        'VERSION_CONFLICT',
      );
    });
  });
}

/** DELETE /users/{userId}. */
function deletingTests(t: SuiteContext): void {
  describe('DELETE /users/{userId}', () => {
    it('deletes with 204, then the profile is gone and its e-mail free', async () => {
      const { profile } = await t.create();
      const res = await t.app.inject({ method: 'DELETE', url: `/users/${profile.userId}` });
      expect(res.statusCode).toBe(204);
      expect(res.body).toBe('');
      expectProblem(
        await t.app.inject({ url: `/users/${profile.userId}` }),
        404,
        'PROFILE_NOT_FOUND',
      );
      expect((await t.create()).res.statusCode).toBe(201);
    });

    it('takes the JSON content type with no body, as mobile HTTP stacks send it', async () => {
      const { profile } = await t.create();
      const headers = { 'content-type': 'application/json; charset=utf-8' };
      const url = `/users/${profile.userId}`;
      expect((await t.app.inject({ method: 'GET', url, headers })).statusCode).toBe(200);
      expect((await t.app.inject({ method: 'HEAD', url, headers })).statusCode).toBe(200);
      expect((await t.app.inject({ method: 'OPTIONS', url, headers })).statusCode).toBe(204);
      for (const method of ['PUT', 'PATCH'] as const) {
        const res = await t.app.inject({ method, url, headers });
        expect(expectProblem(res, 400, 'MALFORMED_REQUEST').detail).toBe(
          'The body must not be empty.',
        );
      }
      const res = await t.app.inject({ method: 'POST', url: '/users', headers });
      expect(expectProblem(res, 400, 'MALFORMED_REQUEST').detail).toBe(
        'The body must not be empty.',
      );
      expect((await t.app.inject({ method: 'DELETE', url, headers })).statusCode).toBe(204);
      expect((await t.app.inject({ url })).statusCode).toBe(404);
    });

    it('answers 404 for an absent profile and 412 for a stale If-Match', async () => {
      expectProblem(
        await t.app.inject({
          method: 'DELETE',
          url: '/users/00000000-0000-4000-8000-000000000999',
        }),
        404,
        'PROFILE_NOT_FOUND',
      );
      const { profile } = await t.create();
      expectProblem(
        await t.app.inject({
          method: 'DELETE',
          url: `/users/${profile.userId}`,
          headers: { 'if-match': '"2"' },
        }),
        412,
        'VERSION_CONFLICT',
      );
      expect(
        (
          await t.app.inject({
            method: 'DELETE',
            url: `/users/${profile.userId}`,
            headers: { 'if-match': '"1"' },
          })
        ).statusCode,
      ).toBe(204);
    });
  });
}
