import { RecordChanges, type ChangeEvent } from '@userprofile/domain';
import { InMemoryChangeEventStore, testUserId } from '@userprofile/domain/testing';
import type { FastifyInstance } from 'fastify';
import { OpenApiConformance, type OpenApiDocument } from '../testing/openapi-conformance';
import { buildTestApp } from '../testing/test-app';
import { TEST_ADMIN_GROUP, TestIssuer } from '../testing/test-issuer';

const ada = testUserId(11);
const bob = testUserId(12);
const event = (profileId: string, version: number, type: ChangeEvent['type']): ChangeEvent => ({
  id: `${profileId}.t.${version}`,
  type,
  time: new Date(Date.UTC(2026, 5, 1, 0, 0, version)).toISOString(),
  profileId,
  version,
  actor: { kind: 'owner', id: profileId },
  changed: type === 'profile.created' ? ['email', 'firstName', 'lastName'] : ['lastName'],
});

describe('the change feed over HTTP', () => {
  let issuer: TestIssuer;
  let app: FastifyInstance;
  let conformance: OpenApiConformance;
  let adminToken: string;
  let adaToken: string;

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    const events = new InMemoryChangeEventStore();
    await new RecordChanges(events).execute([
      event(ada, 1, 'profile.created'),
      event(bob, 1, 'profile.created'),
      event(ada, 2, 'profile.updated'),
      event(ada, 3, 'profile.updated'),
    ]);
    ({ app } = await buildTestApp({ events }, issuer.env()));
    conformance = new OpenApiConformance(
      (await app.inject({ url: '/openapi.json' })).json<OpenApiDocument>(),
    );
    adminToken = await issuer.idToken(testUserId(99), { groups: [TEST_ADMIN_GROUP] });
    adaToken = await issuer.idToken(ada);
  });
  afterAll(async () => {
    await app.close();
    await issuer.stop();
  });

  const get = async (url: string, token: string) => {
    const res = await app.inject({ url, headers: { authorization: `Bearer ${token}` } });
    expect(conformance.check('GET', url, res)).toEqual([]);
    return res;
  };

  it('gives administrators every event in order, page by page, with a cursor to poll with', async () => {
    const first = (await get('/events?limit=3', adminToken)).json();
    expect(
      first.events.map((e: ChangeEvent) => `${e.profileId === ada ? 'ada' : 'bob'}${e.version}`),
    ).toEqual(['ada1', 'bob1', 'ada2']);
    const second = (await get(`/events?after=${first.cursor}`, adminToken)).json();
    expect(second.events.map((e: ChangeEvent) => e.version)).toEqual([3]);
    const empty = (await get(`/events?after=${second.cursor}`, adminToken)).json();
    expect(empty).toEqual({ events: [], cursor: second.cursor });
  });

  it('filters by type', async () => {
    const res = (await get('/events?types=profile.created', adminToken)).json();
    expect(res.events.map((e: ChangeEvent) => e.type)).toEqual([
      'profile.created',
      'profile.created',
    ]);
  });

  it('answers a bad query as problem+json naming the field', async () => {
    for (const [query, field] of [
      ['types=profile.exploded', 'types'],
      ['after=forged', 'after'],
      ['limit=0', 'limit'],
      ['since=1', 'since'],
    ]) {
      const res = await get(`/events?${query}`, adminToken);
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual([field]);
    }
  });

  it('refuses the feed to anyone but administrators', async () => {
    const res = await get('/events', adaToken);
    expect(res.statusCode).toBe(403);
    expect((await app.inject({ url: '/events' })).statusCode).toBe(401);
  });

  it("shows an owner their history newest first, paged, and another's as not found", async () => {
    const first = (await get('/users/me/history?limit=2', adaToken)).json();
    expect(first.events.map((e: ChangeEvent) => e.version)).toEqual([3, 2]);
    const rest = (await get(`/users/${ada}/history?cursor=${first.cursor}`, adaToken)).json();
    expect(rest).toEqual({ events: [expect.objectContaining({ version: 1 })] });
    expect((await get(`/users/${bob}/history`, adaToken)).statusCode).toBe(404);
    expect((await get(`/users/${bob}/history`, adminToken)).json().events).toHaveLength(1);
  });
});
