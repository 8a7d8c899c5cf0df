import {
  animatedWebp,
  bombPng,
  colourName,
  overFiveMiB,
  phoneJpeg,
  plainPng,
  plainWebp,
  renditionFacts,
  svgAsPng,
  textAsJpeg,
  type PhotoFixture,
} from '@userprofile/adapters-images/testing';
import type { LightMyRequestResponse } from 'fastify';
import { expectProblem, type SuiteContext } from './suite-context';
import type { TicketJson } from './photo-access';

interface PhotoJson {
  urls: Record<'64' | '256' | '1024', string>;
  updatedAt: string;
}

/**
 * `/users/{userId}/photo` end to end: tickets, uploads made as a client makes them, commits of
 * real files (a phone's JPEG with GPS and a rotation flag, a PNG, a WebP, text, an SVG, an
 * animated WebP, a decompression bomb, a file over 5 MiB), the renditions read back by their
 * public URLs and decoded, and the store listed after every path: nothing left behind.
 */
export function photoTests(t: SuiteContext): void {
  describe('/users/{userId}/photo', () => {
    const fixtures: Record<string, PhotoFixture> = {};
    beforeAll(async () => {
      fixtures.jpeg = await phoneJpeg();
      fixtures.png = await plainPng();
      fixtures.webp = await plainWebp();
      fixtures.text = textAsJpeg();
      fixtures.svg = svgAsPng();
      fixtures.animated = await animatedWebp();
      fixtures.bomb = bombPng();
      fixtures.big = overFiveMiB();
    }, 60_000);

    const ticketFor = (userId: string, fixture: PhotoFixture) =>
      t.app.inject({
        method: 'POST',
        url: `/users/${userId}/photo`,
        payload: { contentType: fixture.contentType, contentLength: fixture.bytes.length },
      });

    /** A ticket, and the upload of `fixture` with it, as the app on the phone does. */
    async function uploaded(userId: string, fixture: PhotoFixture): Promise<TicketJson> {
      const res = await ticketFor(userId, fixture);
      expect(res.statusCode).toBe(201);
      const ticket = res.json() as TicketJson;
      expect(await t.photos.upload(ticket, fixture.bytes, fixture.contentType)).toBe(204);
      return ticket;
    }

    const commit = (userId: string, uploadId: string, headers: Record<string, string> = {}) =>
      t.app.inject({
        method: 'PUT',
        url: `/users/${userId}/photo`,
        headers,
        payload: { uploadId },
      });

    /** The keys of the renditions: `photos/` and what the URLs name below their base. */
    const renditionKeys = (photo: PhotoJson) =>
      Object.values(photo.urls)
        .map((url) => `photos/${url.split('/').slice(-2).join('/')}`)
        .sort();

    it('gives a ticket: 201, a presigned POST for ten minutes at most', async () => {
      const { profile } = await t.create();
      const res = await ticketFor(profile.userId, fixtures.jpeg!);
      expect(res.statusCode).toBe(201);
      const ticket = res.json() as TicketJson;
      expect(ticket).toMatchObject({
        uploadId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        method: 'POST',
        fields: expect.objectContaining({ 'Content-Type': 'image/jpeg' }),
      });
      const lifetime = new Date(ticket.expiresAt).getTime() - Date.now();
      expect(lifetime).toBeGreaterThan(8 * 60 * 1000);
      expect(lifetime).toBeLessThanOrEqual(10 * 60 * 1000);
      expect(await t.photos.keys()).toEqual([]);
    });

    it('names every problem of a ticket request at once: 400', async () => {
      const { profile } = await t.create();
      const res = await t.app.inject({
        method: 'POST',
        url: `/users/${profile.userId}/photo`,
        payload: { contentType: 'image/gif', contentLength: 5 * 1024 * 1024 + 1, name: 'x' },
      });
      const body = expectProblem(res, 400, 'VALIDATION_FAILED');
      expect((body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual([
        'contentLength',
        'contentType',
        'name',
      ]);
    });

    it('commits a phone photo: upright square WebP renditions without metadata, the upload gone', async () => {
      const { profile } = await t.create();
      const ticket = await uploaded(profile.userId, fixtures.jpeg!);
      const res = await commit(profile.userId, ticket.uploadId, { 'if-match': '"1"' });
      expect(res.statusCode).toBe(200);
      expect(res.headers.etag).toBe('"2"');
      const photo = (res.json() as { photo: PhotoJson }).photo;
      expect(photo.updatedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      for (const size of ['64', '256', '1024'] as const) {
        expect(photo.urls[size]).toMatch(new RegExp(`/[0-9a-f-]{36}/${size}\\.webp$`));
        const facts = await renditionFacts(await t.photos.fetch(photo.urls[size]));
        expect(facts).toMatchObject({
          format: 'webp',
          width: Number(size),
          height: Number(size),
          metadata: [],
          markers: [],
        });
        expect([colourName(facts.top), colourName(facts.bottom)]).toEqual(['red', 'blue']);
      }
      expect(await t.photos.keys()).toEqual(renditionKeys(photo));
      const read = await t.app.inject({ url: `/users/${profile.userId}` });
      expect(read.json()).toMatchObject({ photo, version: 2 });
    });

    it.each(['png', 'webp'])('commits a %s', async (kind) => {
      const { profile } = await t.create();
      const ticket = await uploaded(profile.userId, fixtures[kind]!);
      const res = await commit(profile.userId, ticket.uploadId);
      expect(res.statusCode).toBe(200);
      const photo = (res.json() as { photo: PhotoJson }).photo;
      const facts = await renditionFacts(await t.photos.fetch(photo.urls['1024']));
      expect(facts).toMatchObject({ format: 'webp', width: 1024, height: 1024, metadata: [] });
      expect(await t.photos.keys()).toEqual(renditionKeys(photo));
    });

    it.each([
      ['text declared a JPEG', 'text', /not an image/],
      ['an SVG declared a PNG', 'svg', /svg, not JPEG, PNG or WebP/],
      ['an animated WebP', 'animated', /animated/],
      ['a 20000x20000 decompression bomb', 'bomb', /20000x20000 pixels/],
    ])('refuses %s: 422 PHOTO_INVALID, nothing kept', async (_name, kind, reason) => {
      const { profile } = await t.create();
      const ticket = await uploaded(profile.userId, fixtures[kind]!);
      const res = await commit(profile.userId, ticket.uploadId);
      const body = expectProblem(res, 422, 'PHOTO_INVALID');
      expect(body.detail).toMatch(reason);
      expect(await t.photos.keys()).toEqual([]);
      expect((await t.app.inject({ url: `/users/${profile.userId}` })).json()).not.toHaveProperty(
        'photo',
      );
    });

    it('refuses a file over 5 MiB: no ticket for it, and an upload beyond its ticket is not kept', async () => {
      const { profile } = await t.create();
      const big = fixtures.big!;
      expectProblem(await ticketFor(profile.userId, big), 400, 'VALIDATION_FAILED');
      // A ticket for 5 MiB, and one byte more sent with it.
      const res = await t.app.inject({
        method: 'POST',
        url: `/users/${profile.userId}/photo`,
        payload: { contentType: 'image/jpeg', contentLength: 5 * 1024 * 1024 },
      });
      const ticket = res.json() as TicketJson;
      const stored = await t.photos.upload(ticket, big.bytes, big.contentType);
      const committed = await commit(profile.userId, ticket.uploadId);
      if (t.photos.enforcesUploadPolicy) {
        // The storage refuses it by the signed policy: there is nothing to commit.
        expect(stored).toBe(400);
        expectProblem(committed, 422, 'UPLOAD_NOT_FOUND');
      } else {
        // A storage that keeps it anyway: the service checks the size again, and deletes it.
        expect(stored).toBe(204);
        expect(expectProblem(committed, 422, 'PHOTO_INVALID').detail).toMatch(/larger than 5 MiB/);
      }
      expect(await t.photos.keys()).toEqual([]);
    });

    it('refuses an unknown upload (422 UPLOAD_NOT_FOUND) and a malformed id (400)', async () => {
      const { profile } = await t.create();
      const unknown = await commit(profile.userId, '00000000-0000-4000-8000-00000000abcd');
      expectProblem(unknown, 422, 'UPLOAD_NOT_FOUND');
      expectProblem(await commit(profile.userId, 'nope'), 400, 'VALIDATION_FAILED');
    });

    it("refuses another profile's upload: 422 UPLOAD_NOT_FOUND, and it stays its owner's", async () => {
      const { profile: ada } = await t.create();
      const { profile: bob } = await t.create(newUserLike(2));
      const ticket = await uploaded(bob.userId, fixtures.png!);
      expectProblem(await commit(ada.userId, ticket.uploadId), 422, 'UPLOAD_NOT_FOUND');
      expect((await commit(bob.userId, ticket.uploadId)).statusCode).toBe(200);
    });

    it('replaces a photo: new URLs, the old renditions deleted', async () => {
      const { profile } = await t.create();
      const first = await commit(
        profile.userId,
        (await uploaded(profile.userId, fixtures.png!)).uploadId,
      );
      const second = await commit(
        profile.userId,
        (await uploaded(profile.userId, fixtures.webp!)).uploadId,
      );
      const [a, b] = [first, second].map((r) => (r.json() as { photo: PhotoJson }).photo);
      expect(b!.urls['64']).not.toBe(a!.urls['64']);
      expect(await t.photos.keys()).toEqual(renditionKeys(b!));
      expect(second.headers.etag).toBe('"3"');
    });

    it('with a stale If-Match changes nothing: 412, no rendition stored', async () => {
      const { profile } = await t.create();
      const ticket = await uploaded(profile.userId, fixtures.png!);
      await t.app.inject({
        method: 'PUT',
        url: `/users/${profile.userId}`,
        payload: { firstName: 'B' },
      });
      expectProblem(
        await commit(profile.userId, ticket.uploadId, { 'if-match': '"1"' }),
        412,
        'VERSION_CONFLICT',
      );
      expect(await t.photos.keys()).toEqual([`uploads/${profile.userId}/${ticket.uploadId}`]);
    });

    it('removes a photo: 204 with the new ETag, renditions deleted; a profile change cannot set one', async () => {
      const { profile } = await t.create();
      await commit(profile.userId, (await uploaded(profile.userId, fixtures.png!)).uploadId);
      const removed = await t.app.inject({
        method: 'DELETE',
        url: `/users/${profile.userId}/photo`,
      });
      expect(removed.statusCode).toBe(204);
      expect(removed.headers.etag).toBe('"3"');
      expect(await t.photos.keys()).toEqual([]);
      expect((await t.app.inject({ url: `/users/${profile.userId}` })).json()).not.toHaveProperty(
        'photo',
      );
      const again = await t.app.inject({ method: 'DELETE', url: `/users/${profile.userId}/photo` });
      expect(again.statusCode).toBe(204);
      expect(again.headers.etag).toBe('"3"');
      const set = await t.app.inject({
        method: 'PUT',
        url: `/users/${profile.userId}`,
        payload: { photo: { urls: {} } },
      });
      expect(expectProblem(set, 400, 'VALIDATION_FAILED').errors).toEqual([
        { field: 'photo', message: 'is read-only and cannot be set' },
      ]);
    });

    it('deletes the photo with the profile', async () => {
      const { profile } = await t.create();
      await commit(profile.userId, (await uploaded(profile.userId, fixtures.jpeg!)).uploadId);
      expect(await t.photos.keys()).toHaveLength(3);
      const res = await t.app.inject({ method: 'DELETE', url: `/users/${profile.userId}` });
      expect(res.statusCode).toBe(204);
      expect(await t.photos.keys()).toEqual([]);
    });

    it('answers 404 for a profile that does not exist, on every photo route', async () => {
      const missing = '00000000-0000-4000-8000-00000000dead';
      expectProblem(await ticketFor(missing, fixtures.png!), 404, 'PROFILE_NOT_FOUND');
      expectProblem(
        await commit(missing, '00000000-0000-4000-8000-00000000abcd'),
        404,
        'PROFILE_NOT_FOUND',
      );
      const res: LightMyRequestResponse = await t.app.inject({
        method: 'DELETE',
        url: `/users/${missing}/photo`,
      });
      expectProblem(res, 404, 'PROFILE_NOT_FOUND');
    });
  });
}

const newUserLike = (n: number) => ({
  email: `photo${n}@example.com`,
  firstName: 'Bob',
  lastName: 'B',
});
