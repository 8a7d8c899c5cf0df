import { DynamoUserProfileRepository } from '@userprofile/adapters-dynamo';
import {
  checkInvariants,
  createTestTable,
  testClients,
} from '@userprofile/adapters-dynamo/testing';
import fc from 'fast-check';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildTestApp } from '../testing/test-app';
import { body, contentType, idSegment, headerText, ifMatch, query } from './request-arbitraries';

/**
 * Property-based tests: thousands of generated requests, valid and invalid, against the real app
 * on DynamoDB Local. Seeded and reproducible: FUZZ_SEED (default 20261122) and FUZZ_RUNS (default
 * 2,000 in all) choose the run; a failure prints its seed and shrunk case.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
const share = (fraction: number) => Math.max(1, Math.round(RUNS * fraction));
// Each case is a request and a table scan on DynamoDB Local (each profile with its ~25 search
// items): allow ~300 ms a case, for a busy CI machine.
jest.setTimeout(Math.max(60_000, RUNS * 300));

let app: FastifyInstance;
let table: Awaited<ReturnType<typeof createTestTable>>;
let repository: DynamoUserProfileRepository;
let existingId: string;
const tally = { cases: 0, accepted: 0, rejected: 0, byStatus: {} as Record<number, number> };

beforeAll(async () => {
  table = await createTestTable();
  repository = new DynamoUserProfileRepository(testClients().documentClient, table);
  ({ app } = await buildTestApp({ repository }));
  const res = await app.inject({
    method: 'POST',
    url: '/users',
    payload: { email: 'fixed@example.com', firstName: 'Fixed', lastName: 'Profile' },
  });
  existingId = (res.json() as { userId: string }).userId;
});
afterAll(async () => {
  process.stdout.write(
    `\n[fuzz] seed ${SEED}: ${tally.cases} requests, ${tally.accepted} accepted, ${tally.rejected} rejected; statuses ${JSON.stringify(tally.byStatus)}\n`,
  );
  expect(await checkInvariants(await table.contents(), repository)).toEqual([]);
  await app.close();
  await table.drop();
});

// ---- properties ----------------------------------------------------------------------------------

async function send(options: InjectOptions): Promise<LightMyRequestResponse> {
  const res = await app.inject(options);
  tally.cases++;
  tally.byStatus[res.statusCode] = (tally.byStatus[res.statusCode] ?? 0) + 1;
  if (res.statusCode < 400) tally.accepted++;
  else tally.rejected++;
  return res;
}

/** Every answer: never 5xx; a rejection is problem+json with a stable code and no internals. */
function expectSane(res: LightMyRequestResponse, method = 'GET'): void {
  expect(res.statusCode).toBeLessThan(500);
  if (res.statusCode >= 400 && method !== 'HEAD') {
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    const problem = res.json() as { code?: unknown; status?: unknown };
    expect(problem.code).toMatch(/^[A-Z_]+$/);
    expect(problem.status).toBe(res.statusCode);
    expect(res.body).not.toMatch(/\n\s+at |Error:|node_modules|\.ts:\d/);
  }
}

/** Both tables' items, in key order. */
const snapshot = async () => {
  const { items, searchItems } = await table.contents();
  const byKey = (a: Record<string, unknown>, b: Record<string, unknown>) =>
    String(a.userId).localeCompare(String(b.userId));
  return JSON.stringify([items.sort(byKey), searchItems.sort(byKey)]);
};

describe('generated requests', () => {
  it('creates: no 5xx, rejections change nothing, every accepted create reads back exactly', async () => {
    await fc.assert(
      fc.asyncProperty(
        body,
        contentType,
        fc.option(fc.oneof(fc.uuid(), headerText(300)), { nil: undefined }),
        async (payload, type, key) => {
          const before = await snapshot();
          const res = await send({
            method: 'POST',
            url: '/users',
            payload,
            headers: {
              'content-type': type,
              ...(key === undefined ? {} : { 'idempotency-key': key }),
            },
          });
          expectSane(res);
          if (res.statusCode === 201) {
            const created = res.json() as { userId: string };
            const read = await app.inject({ url: `/users/${created.userId}` });
            expect(read.json()).toEqual(created);
            // Keep the table small, so that each case's full-table comparison stays cheap.
            expect(
              (await app.inject({ method: 'DELETE', url: `/users/${created.userId}` })).statusCode,
            ).toBe(204);
            if (key !== undefined) await table.deleteItem({ userId: `IDEMPOTENCY#${key}` });
          } else {
            expect(await snapshot()).toBe(before);
          }
        },
      ),
      { seed: SEED, numRuns: share(0.35) },
    );
  });

  it('updates and patches: no 5xx, and a rejected one changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('PUT', 'PATCH'),
        idSegment,
        body,
        contentType,
        ifMatch,
        async (method, id, payload, type, match) => {
          const before = await snapshot();
          const url = `/users/${id === '{existing}' ? existingId : id}`;
          const res = await send({
            method: method as 'PUT' | 'PATCH',
            url,
            payload,
            headers: {
              'content-type': type,
              ...(match === undefined ? {} : { 'if-match': match }),
            },
          });
          expectSane(res);
          if (res.statusCode >= 400) expect(await snapshot()).toBe(before);
        },
      ),
      { seed: SEED + 1, numRuns: share(0.35) },
    );
  });

  it('reads, lists, deletes and odd routes: no 5xx, and a rejected one changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'DELETE', 'HEAD', 'OPTIONS', 'POST'),
        fc.constantFrom(
          '/users',
          '/users/',
          '/users/{id}',
          '/users/{id}/x',
          '/health',
          '/nope',
          '//users',
        ),
        idSegment,
        query,
        ifMatch,
        async (method, path, id, q, match) => {
          const before = await snapshot();
          const url = path.replace('{id}', id === '{existing}' ? existingId : id);
          const res = await send({
            method: method as 'GET',
            url,
            query: q,
            headers: match === undefined ? {} : { 'if-match': match, 'if-none-match': match },
          });
          expectSane(res, method); // a HEAD answer has no body to check
          if (res.statusCode >= 400) expect(await snapshot()).toBe(before);
          // Deleting the fixed profile would end the other cases' "existing" target: recreate it.
          if (method === 'DELETE' && res.statusCode === 204) {
            const again = await app.inject({
              method: 'POST',
              url: '/users',
              payload: { email: 'fixed@example.com', firstName: 'Fixed', lastName: 'Profile' },
            });
            existingId = (again.json() as { userId: string }).userId;
          }
        },
      ),
      { seed: SEED + 2, numRuns: share(0.3) },
    );
  });
});
