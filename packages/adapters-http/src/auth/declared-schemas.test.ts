import { StandaloneMetadataSchemas } from '@userprofile/adapters-json-schema';
import {
  compileValidatorsSource,
  loadValidatorsSource,
} from '@userprofile/adapters-json-schema/compile';
import { readSchemasFile } from '@userprofile/adapters-json-schema/schemas-file';
import { newUserProfile, type UserProfileRepository } from '@userprofile/domain';
import { testUserId } from '@userprofile/domain/testing';
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { join } from 'node:path';
import { expectProblem } from '../testing/suite-context';
import { ConformanceRecorder } from '../testing/openapi-conformance';
import { buildTestApp, newUser } from '../testing/test-app';
import { TEST_ADMIN_GROUP, TestIssuer } from '../testing/test-issuer';

// The declared schemas of docs/examples/profile-schemas.json, enforced over HTTP with sign-in on:
// each tier's writer, field-level problems, merge patches checked whole, older data kept.

const EXAMPLE = join(__dirname, '../../../../docs/examples/profile-schemas.json');
const schemas = new StandaloneMetadataSchemas(
  loadValidatorsSource(compileValidatorsSource(readSchemasFile(EXAMPLE))),
);
const ADA = testUserId(501);
const ROOT = testUserId(599);

let issuer: TestIssuer;
let app: FastifyInstance;
let repository: UserProfileRepository;
const conformance = new ConformanceRecorder();

beforeAll(async () => {
  issuer = await TestIssuer.start();
});
afterAll(() => issuer.stop());
beforeEach(async () => {
  ({ app, repository } = await buildTestApp(
    { metadataSchemas: schemas },
    issuer.env({ PROFILE_SCHEMAS_FILE: EXAMPLE }),
  ));
  await conformance.attach(app);
});
afterEach(() => app.close());
afterAll(() => conformance.verify(10));

async function as(token: string, method: string, url: string, body?: object) {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body) {
    headers['content-type'] =
      method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
  }
  return app.inject({
    method: method as 'GET',
    url,
    headers,
    ...(body ? { payload: body } : {}),
  });
}

const tokens = async () => ({
  ada: await issuer.idToken(ADA, { email: 'userada@example.com' }),
  root: await issuer.idToken(ROOT, { groups: [TEST_ADMIN_GROUP] }),
});

describe('declared metadata schemas over HTTP', () => {
  it('refuses a create naming every field of every tier at fault, and stores nothing', async () => {
    const { ada } = await tokens();
    const problem = expectProblem(
      await as(ada, 'POST', '/users', {
        ...newUser('ada'),
        timeZone: 'Nowhere/Land',
        metadata: { theme: 'blue', colour: 'red' },
        publicMetadata: { bio: 'x'.repeat(281) },
      }),
      400,
      'VALIDATION_FAILED',
    );
    expect(problem.errors).toEqual([
      { field: 'timeZone', message: 'must be an IANA time zone, e.g. Europe/Paris' },
      { field: 'metadata.colour', message: 'is not allowed' },
      { field: 'metadata.theme', message: 'must be one of "light", "dark", "system"' },
      { field: 'publicMetadata.bio', message: 'must NOT have more than 280 characters' },
    ]);
    expect((await as(ada, 'GET', '/users/me')).statusCode).toBe(404);
  });

  it('holds the owner’s PATCH to the whole tier the merge leaves, and PUT to the tier given', async () => {
    const { ada } = await tokens();
    const links = { a: '1', b: '2', c: '3', d: '4', e: '5' };
    const created = await as(ada, 'POST', '/users', {
      ...newUser('ada'),
      publicMetadata: { links },
    });
    expect(created.statusCode).toBe(201);
    // One more key is valid alone, but not in the tier it would make.
    const sixth = await as(ada, 'PATCH', '/users/me', { publicMetadata: { links: { f: '6' } } });
    expect(expectProblem(sixth, 400, 'VALIDATION_FAILED').errors).toEqual([
      { field: 'publicMetadata.links', message: 'must NOT have more than 5 properties' },
    ]);
    const swapped = await as(ada, 'PATCH', '/users/me', {
      publicMetadata: { links: { a: null, f: '6' } },
    });
    expect(swapped.json()).toMatchObject({
      publicMetadata: { links: { b: '2', c: '3', d: '4', e: '5', f: '6' } },
    });
    const put = await as(ada, 'PUT', '/users/me', { metadata: { newsletter: 'yes' } });
    expect(expectProblem(put, 400, 'VALIDATION_FAILED').errors).toEqual([
      { field: 'metadata.newsletter', message: 'must be boolean' },
    ]);
  });

  it('holds an administrator’s appMetadata to its schema: required, enum, items', async () => {
    const { ada, root } = await tokens();
    await as(ada, 'POST', '/users', newUser('ada'));
    const url = `/users/${ADA}`;
    const noPlan = await as(root, 'PATCH', url, { appMetadata: { seats: 0, roles: ['Ops Team'] } });
    expect(expectProblem(noPlan, 400, 'VALIDATION_FAILED').errors).toEqual([
      { field: 'appMetadata.plan', message: 'is required' },
      { field: 'appMetadata.seats', message: 'must be >= 1' },
      { field: 'appMetadata.roles[0]', message: 'must match pattern "^[a-z][a-z0-9-]{0,31}$"' },
    ]);
    expect((await as(root, 'PATCH', url, { appMetadata: { plan: 'pro' } })).statusCode).toBe(200);
    const removed = await as(root, 'PATCH', url, { appMetadata: { plan: null } });
    expect(expectProblem(removed, 400, 'VALIDATION_FAILED').errors).toEqual([
      { field: 'appMetadata.plan', message: 'is required' },
    ]);
    const gold = await as(root, 'PUT', url, { appMetadata: { plan: 'gold' } });
    expect(expectProblem(gold, 400, 'VALIDATION_FAILED').errors).toEqual([
      { field: 'appMetadata.plan', message: 'must be one of "free", "pro", "enterprise"' },
    ]);
    expect((await as(ada, 'GET', '/users/me')).json()).toMatchObject({
      appMetadata: { plan: 'pro' },
      version: 2,
    });
  });

  it('reads a profile stored before the schema, and takes changes to its other fields', async () => {
    // Off the conformance check: the document describes answers by the schema as declared now,
    // and this profile was stored under an older one (so the check would flag these answers).
    await app.close();
    ({ app, repository } = await buildTestApp(
      { metadataSchemas: schemas },
      issuer.env({ PROFILE_SCHEMAS_FILE: EXAMPLE }),
    ));
    const { ada } = await tokens();
    const old = newUserProfile(
      { ...newUser('ada'), email: 'userada@example.com', metadata: { theme: 'sepia', v1: true } },
      { userId: ADA, now: new Date('2026-01-01T00:00:00Z') },
    );
    await repository.create(old);
    expect((await as(ada, 'GET', '/users/me')).json()).toMatchObject({
      metadata: { theme: 'sepia', v1: true },
    });
    const renamed = await as(ada, 'PATCH', '/users/me', { lastName: 'King' });
    expect(renamed.json()).toMatchObject({ lastName: 'King', metadata: { theme: 'sepia' } });
    // Touching the tier makes it meet the schema, whole.
    const touched = await as(ada, 'PATCH', '/users/me', { metadata: { theme: 'dark' } });
    expect(expectProblem(touched, 400, 'VALIDATION_FAILED').errors).toEqual([
      { field: 'metadata.v1', message: 'is not allowed' },
    ]);
  });

  it('reads every accepted write back exactly, in every tier, and leaves refused ones unstored', async () => {
    const { ada, root } = await tokens();
    await as(ada, 'POST', '/users', newUser('ada'));
    const url = `/users/${ADA}`;
    const value = fc.constantFrom<unknown>('light', 'dark', 'blue', 'en', 'pro', true, 3, 0, null);
    const entries = (keys: string[]) =>
      fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 3 });
    const patch = fc.record(
      {
        metadata: entries(['theme', 'lang', 'newsletter', 'oldTheme', 'other']),
        appMetadata: entries(['plan', 'seats']),
        publicMetadata: entries(['bio', 'x']),
      },
      { requiredKeys: [] },
    );
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(patch, async (body) => {
        const before = (await as(root, 'GET', url)).json() as Record<string, unknown>;
        const res = await as(root, 'PATCH', url, body);
        const after = (await as(root, 'GET', url)).json() as Record<string, unknown>;
        if (res.statusCode === 400) {
          expect(after).toEqual(before);
          return;
        }
        expect(res.statusCode).toBe(200);
        accepted += 1;
        const written = res.json() as Record<string, unknown>;
        for (const tier of ['metadata', 'appMetadata', 'publicMetadata']) {
          expect(after[tier]).toEqual(written[tier]);
        }
      }),
      // Random patches are mostly refused; these two, run first, are valid under the schemas.
      {
        numRuns: 40,
        examples: [[{ appMetadata: { plan: 'pro' } }], [{ metadata: { theme: 'dark' } }]],
      },
    );
    expect(accepted).toBeGreaterThan(0);
  });
});
