import { renditionFacts } from '@userprofile/adapters-images/testing';
import { TEST_ADMIN_GROUP, TestIssuer } from '@userprofile/adapters-http/testing-issuer';
import {
  ConformanceRecorder,
  OpenApiConformance,
  type OpenApiDocument,
} from '@userprofile/adapters-http/testing-openapi';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProblemError, ProfileClient } from './index';
import { startService } from './testing/service';

/** The published document (this package's openapi.json), which every answer must keep to. */
const published = new ConformanceRecorder(
  new OpenApiConformance(
    JSON.parse(readFileSync(join(__dirname, '../openapi.json'), 'utf8')) as OpenApiDocument,
  ),
);
afterAll(() => published.verify(20));

/**
 * fetch, holding every answer of the listening service to the published document, with every
 * status it saw; `dropNext` loses the next answer after the server sent it.
 */
function recordingFetch() {
  const statuses: number[] = [];
  let drop = false;
  const fetchFn: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    const exchange = {
      statusCode: res.status,
      headers: Object.fromEntries(res.headers),
      body: await res.clone().text(),
    };
    published.record(request.method, url.pathname + url.search, exchange);
    statuses.push(res.status);
    if (drop) {
      drop = false;
      throw new TypeError('fetch failed: the connection was reset');
    }
    return res;
  };
  return { fetchFn, statuses, dropNext: () => (drop = true) };
}

describe('the typed client, on the local server and DynamoDB Local', () => {
  let service: Awaited<ReturnType<typeof startService>>;
  beforeAll(async () => {
    service = await startService();
  });
  afterAll(() => service.stop());

  it('runs the README walk-through', async () => {
    const wire = recordingFetch();
    const api = new ProfileClient({ baseUrl: service.baseUrl, fetch: wire.fetchFn });

    const ada = await api.create({
      email: 'Ada@Example.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
      metadata: { theme: 'dark' },
    });
    expect(ada).toMatchObject({ email: 'ada@example.com', version: 1 });
    expect(api.etagOf(ada.userId)).toBe('"1"');

    expect((await api.findByEmail('ADA@example.com'))?.userId).toBe(ada.userId);
    expect(await api.get(ada.userId)).toEqual(ada);
    expect(wire.statuses.at(-1)).toBe(304); // it sent If-None-Match, and kept its copy

    const pages: string[][] = [];
    for await (const page of api.pages({ limit: 10 })) pages.push(page.map((p) => p.userId));
    expect(pages).toEqual([[ada.userId]]);

    const king = await api.update(ada.userId, { lastName: 'King', phoneNumber: '+441234567890' });
    expect(king).toMatchObject({ lastName: 'King', version: 2 });

    // Another device still holds version 1: its update is refused, not lost.
    const stale = new ProfileClient({ baseUrl: service.baseUrl, fetch: wire.fetchFn });
    await stale.get(ada.userId);
    await api.update(ada.userId, { lastName: 'Byron' });
    await expect(stale.update(ada.userId, { lastName: 'Other' })).rejects.toMatchObject({
      status: 412,
      code: 'VERSION_CONFLICT',
    });

    const patched = await api.patch(ada.userId, {
      phoneNumber: null,
      metadata: { theme: null, lang: 'en' },
    });
    expect(patched.metadata).toEqual({ lang: 'en' });
    expect(patched.phoneNumber).toBeUndefined();

    await api.delete(ada.userId);
    const gone = await api.get(ada.userId).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(ProblemError);
    expect(gone).toMatchObject({ status: 404, code: 'PROFILE_NOT_FOUND' });
  });

  it('sets a photo in the three steps, and removes it', async () => {
    const wire = recordingFetch();
    const api = new ProfileClient({ baseUrl: service.baseUrl, fetch: wire.fetchFn });
    const grace = await api.create({ email: 'grace@example.com', firstName: 'G', lastName: 'H' });
    const photo = readFileSync(join(__dirname, '../../../docs/sample-photo.jpg'));
    const withPhoto = await api.setPhoto(grace.userId, photo, 'image/jpeg');
    expect(withPhoto.version).toBe(2);
    expect(api.etagOf(grace.userId)).toBe('"2"');
    const rendition = await fetch(withPhoto.photo!.urls['64']);
    expect(await renditionFacts(new Uint8Array(await rendition.arrayBuffer()))).toMatchObject({
      format: 'webp',
      width: 64,
      metadata: [],
    });
    const notAPhoto = await api
      .setPhoto(grace.userId, new TextEncoder().encode('no photo'), 'image/png')
      .catch((e: unknown) => e);
    expect(notAPhoto).toMatchObject({ status: 422, code: 'PHOTO_INVALID' });
    await api.removePhoto(grace.userId);
    expect((await api.get(grace.userId)).photo).toBeUndefined();
    await api.delete(grace.userId);
    expect(await service.keys()).toEqual([]);
  });

  it('sends a create again with the same Idempotency-Key when its answer was lost: one profile', async () => {
    const wire = recordingFetch();
    const api = new ProfileClient({ baseUrl: service.baseUrl, fetch: wire.fetchFn });
    wire.dropNext();
    const created = await api.create({ email: 'lost@example.com', firstName: 'L', lastName: 'O' });
    expect(wire.statuses).toEqual([201, 201]); // the lost answer, then the replay
    expect(await api.findByEmail('lost@example.com')).toMatchObject({ userId: created.userId });
    await expect(
      api.create({ email: 'lost@example.com', firstName: 'L', lastName: 'O' }),
    ).rejects.toMatchObject({ status: 409, code: 'EMAIL_TAKEN' });
  });

  it('turns every field problem into one ProblemError with the list', async () => {
    const api = new ProfileClient({ baseUrl: service.baseUrl, fetch: recordingFetch().fetchFn });
    const error = (await api
      .create({ email: 'x', firstName: '', lastName: 'L' })
      .catch((e: unknown) => e)) as ProblemError;
    expect(error).toBeInstanceOf(ProblemError);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.problem.errors?.map((e) => e.field)).toEqual(
      expect.arrayContaining(['email', 'firstName']),
    );
  });
});

describe('the typed client with a bearer token provider', () => {
  it('signs every request in, and reaches the caller’s own profile as `me`', async () => {
    const issuer = await TestIssuer.start();
    const service = await startService(issuer.env());
    try {
      const sub = '0b5f3c1e-6c1d-4e0a-9d53-7c2a2f1b9e02';
      const token = await issuer.idToken(sub, { email: 'me@example.com' });
      const admin = await issuer.idToken('0b5f3c1e-6c1d-4e0a-9d53-7c2a2f1b9e03', {
        groups: [TEST_ADMIN_GROUP],
      });
      const { fetchFn } = recordingFetch();
      const me = new ProfileClient({
        baseUrl: service.baseUrl,
        token: async () => token,
        fetch: fetchFn,
      });
      expect(
        await me.create({ email: 'me@example.com', firstName: 'M', lastName: 'E' }),
      ).toMatchObject({ userId: sub });
      expect(await me.patch('me', { firstName: 'Em' })).toMatchObject({
        firstName: 'Em',
        version: 2,
      });
      await expect(me.findByEmail('me@example.com')).rejects.toMatchObject({ status: 403 });
      const ops = new ProfileClient({
        baseUrl: service.baseUrl,
        token: () => admin,
        fetch: fetchFn,
      });
      expect((await ops.findByEmail('me@example.com'))?.userId).toBe(sub);
      // An administrator suspends the account with a reason and an end; the owner's writes are
      // ACCOUNT_SUSPENDED problems that say the end, until it is lifted (#25).
      const until = new Date(Date.now() + 86_400_000).toISOString();
      expect(await ops.suspend(sub, { reason: 'ABUSE', until })).toMatchObject({
        reason: 'ABUSE',
        until,
      });
      await expect(me.patch('me', { firstName: 'X' })).rejects.toMatchObject({
        status: 403,
        code: 'ACCOUNT_SUSPENDED',
        problem: { until },
      });
      const suspended = [];
      for await (const page of ops.pages({ suspended: true })) suspended.push(...page);
      expect(suspended.map((p) => p.userId)).toEqual([sub]);
      await ops.liftSuspension(sub);
      expect((await ops.suspensions(sub)).map((s) => s.reason)).toEqual(['ABUSE']);
      expect(await me.patch('me', { firstName: 'Free' })).toMatchObject({ blocked: false });
      const anonymous = new ProfileClient({ baseUrl: service.baseUrl, fetch: fetchFn });
      await expect(anonymous.get('me')).rejects.toMatchObject({
        status: 401,
        code: 'UNAUTHENTICATED',
      });
    } finally {
      await service.stop();
      await issuer.stop();
    }
  });
});
