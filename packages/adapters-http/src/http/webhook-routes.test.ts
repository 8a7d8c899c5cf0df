import {
  InMemoryChangeEventStore,
  InMemoryWebhookRegistry,
  testUserId,
} from '@userprofile/domain/testing';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { OpenApiConformance, type OpenApiDocument } from '../testing/openapi-conformance';
import { buildTestApp } from '../testing/test-app';
import { TEST_ADMIN_GROUP, TestIssuer } from '../testing/test-issuer';

describe('webhook administration over HTTP', () => {
  let issuer: TestIssuer;
  let app: FastifyInstance;
  let conformance: OpenApiConformance;
  const registry = new InMemoryWebhookRegistry();
  let admin: string;
  let user: string;

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    ({ app } = await buildTestApp(
      { events: new InMemoryChangeEventStore(), webhooks: registry },
      issuer.env(),
    ));
    conformance = new OpenApiConformance(
      (await app.inject({ url: '/openapi.json' })).json<OpenApiDocument>(),
    );
    admin = await issuer.idToken(testUserId(99), { groups: [TEST_ADMIN_GROUP] });
    user = await issuer.idToken(testUserId(1));
  });
  afterAll(async () => {
    await app.close();
    await issuer.stop();
  });

  const call = async (options: InjectOptions & { url: string; method: string }, token = admin) => {
    const res = await app.inject({
      ...options,
      headers: { authorization: `Bearer ${token}`, ...options.headers },
    });
    expect(conformance.check(options.method, options.url, res)).toEqual([]);
    return res;
  };
  const register = (url: string, token = admin) =>
    call({ method: 'POST', url: '/webhooks', payload: { url, types: ['profile.deleted'] } }, token);

  it('registers an endpoint, showing its secret once, and lists it without', async () => {
    const res = await register('https://93.184.215.14/hooks');
    expect(res.statusCode).toBe(201);
    const { webhook, secret } = res.json();
    expect(secret).toMatch(/^whsec_/);
    expect(res.headers.location).toBe(`/webhooks/${webhook.id}`);
    const list = await call({ method: 'GET', url: '/webhooks' });
    expect(list.json().webhooks.map((w: { id: string }) => w.id)).toContain(webhook.id);
    expect(list.body).not.toContain('whsec_');
  });

  it('refuses private, link-local and metadata addresses, naming the url', async () => {
    for (const url of [
      'https://169.254.169.254/latest',
      'https://10.0.0.8/x',
      'https://[fe80::1]/x',
    ]) {
      const res = await register(url);
      expect(res.statusCode).toBe(400);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual(['url']);
    }
  });

  it('rotates, disables, enables and deletes; an unknown id is 404 WEBHOOK_NOT_FOUND', async () => {
    const { webhook, secret } = (await register('http://127.0.0.1:9/hook')).json();
    const rotated = await call({ method: 'POST', url: `/webhooks/${webhook.id}/rotate-secret` });
    expect(rotated.json().secret).not.toBe(secret);
    expect((await registry.get(webhook.id))!.secrets).toEqual([rotated.json().secret, secret]);
    expect(
      (await call({ method: 'POST', url: `/webhooks/${webhook.id}/disable` })).json().state,
    ).toBe('disabled');
    expect(
      (await call({ method: 'POST', url: `/webhooks/${webhook.id}/enable` })).json().state,
    ).toBe('enabled');
    expect((await call({ method: 'DELETE', url: `/webhooks/${webhook.id}` })).statusCode).toBe(204);
    const gone = await call({ method: 'DELETE', url: `/webhooks/${webhook.id}` });
    expect([gone.statusCode, gone.json().code]).toEqual([404, 'WEBHOOK_NOT_FOUND']);
  });

  it('is for administrators only', async () => {
    expect((await register('https://93.184.215.14/hooks', user)).statusCode).toBe(403);
    expect((await call({ method: 'GET', url: '/webhooks' }, user)).statusCode).toBe(403);
  });
});
