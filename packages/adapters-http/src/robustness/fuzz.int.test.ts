import { DynamoUserProfileRepository } from '@userprofile/adapters-dynamo';
import {
  checkInvariants,
  createTestTable,
  testClients,
} from '@userprofile/adapters-dynamo/testing';
import fc from 'fast-check';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildTestApp } from '../testing/test-app';

/**
 * Property-based tests: thousands of generated requests, valid and invalid, against the real app
 * on DynamoDB Local. Seeded and reproducible: FUZZ_SEED (default 20261122) and FUZZ_RUNS (default
 * 2,000 in all) choose the run; a failure prints its seed and shrunk case.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
const share = (fraction: number) => Math.max(1, Math.round(RUNS * fraction));
// Each case is a request and a table scan on DynamoDB Local: allow ~100 ms a case.
jest.setTimeout(Math.max(60_000, RUNS * 100));

let app: FastifyInstance;
let table: Awaited<ReturnType<typeof createTestTable>>;
let repository: DynamoUserProfileRepository;
let existingId: string;
const tally = { cases: 0, accepted: 0, rejected: 0, byStatus: {} as Record<number, number> };

beforeAll(async () => {
  table = await createTestTable();
  repository = new DynamoUserProfileRepository(testClients().documentClient, table.tableName);
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
  expect(await checkInvariants(await table.scanAll(), repository)).toEqual([]);
  await app.close();
  await table.drop();
});

// ---- generators -------------------------------------------------------------------------------

const weirdString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\ud800',
    '\u202e',
    '😀'.repeat(60),
    'x'.repeat(5000),
    '<script>',
    "'; DROP TABLE",
    '../..',
    '%00',
    'EMAIL#x@example.com',
  ),
);
const edgeNumber = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(0, -0, 2 ** 53, -(2 ** 53), Number.MAX_SAFE_INTEGER, 1e-200, 1e308, 0.1, -1),
);
const jsonish: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    weirdString,
    edgeNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(weirdString, tie('value'), { maxKeys: 4 }),
  ),
})).value;
const deepObject = fc.integer({ min: 1, max: 40 }).map((depth) => {
  let o: Record<string, unknown> = { leaf: 1 };
  for (let i = 0; i < depth; i++) o = { d: o };
  return o;
});
const email = fc.oneof(
  fc.emailAddress(),
  weirdString,
  fc.constantFrom('UPPER@EXAMPLE.COM', ' fixed@example.com ', 'fixed@EXAMPLE.com'),
);
const field = (valid: fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 3, arbitrary: valid }, { weight: 1, arbitrary: jsonish });
const profileBody = fc.record(
  {
    email: field(email),
    firstName: field(fc.string({ minLength: 1, maxLength: 110 })),
    lastName: field(fc.string({ minLength: 1, maxLength: 110 })),
    phoneNumber: field(fc.oneof(fc.stringMatching(/^\+[1-9]\d{1,15}$/), fc.constant(null))),
    metadata: field(
      fc.oneof(
        fc.dictionary(fc.string({ maxLength: 10 }), jsonish, { maxKeys: 5 }),
        deepObject,
        fc.constant(null),
      ),
    ),
    active: field(fc.boolean()),
    userId: fc.uuid(),
    version: edgeNumber,
    extra: jsonish,
  },
  { requiredKeys: [] },
);
// Mostly well-formed profiles, so that accepted creates and updates are tried too.
const validBody = fc.record(
  {
    email: fc.emailAddress({ size: 'small' }),
    firstName: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
    lastName: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
    phoneNumber: fc.stringMatching(/^\+[1-9]\d{6,13}$/),
    metadata: fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), jsonish, { maxKeys: 4 }),
  },
  { requiredKeys: ['email', 'firstName', 'lastName'] },
);
const body = fc.oneof(
  { weight: 4, arbitrary: validBody.map((b) => JSON.stringify(b)) },
  { weight: 6, arbitrary: profileBody.map((b) => JSON.stringify(b)) },
  { weight: 1, arbitrary: jsonish.map((v) => JSON.stringify(v) ?? 'null') },
  {
    weight: 1,
    arbitrary: fc
      .uint8Array({ maxLength: 200 })
      .map((bytes) => Buffer.from(bytes).toString('latin1')),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 50 }) },
);
const contentType = fc.oneof(
  { weight: 5, arbitrary: fc.constant('application/json') },
  { weight: 2, arbitrary: fc.constant('application/merge-patch+json') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'text/plain',
      'application/json; charset=latin1',
      'application/x-www-form-urlencoded',
      'multipart/form-data',
      '',
      'application/xml',
    ),
  },
);
const idSegment = fc.oneof(
  fc.constant('{existing}'),
  fc.uuid(),
  fc.constantFrom(
    '%2F',
    '..',
    '%2e%2e',
    'EMAIL%23fixed%40example.com',
    'IDEMPOTENCY%23k',
    '%00',
    '%',
    'a'.repeat(300),
    '%F0%9F%98%80',
    'users',
    '',
  ),
  fc.string({ maxLength: 20 }).map(encodeURIComponent),
);
// Header values: anything HTTP can carry (visible ASCII and spaces); other bytes never reach a server.
const headerText = (max: number) => fc.stringMatching(new RegExp(`^[\\x20-\\x7e]{0,${max}}$`));
const ifMatch = fc.option(
  fc.oneof(
    fc.constantFrom(
      '"1"',
      '"2"',
      '*',
      'W/"1"',
      '"0"',
      '"-1"',
      '""',
      'junk',
      '"1", "2"',
      '"99999999999999999999"',
    ),
    headerText(20),
  ),
  { nil: undefined },
);
const query = fc.dictionary(
  fc.constantFrom('limit', 'lastKey', 'email', 'active', 'other'),
  fc.oneof(
    fc.constantFrom(
      '0',
      '1',
      '20',
      '100',
      '101',
      '-1',
      '1.5',
      '1e2',
      'abc',
      '',
      'true',
      'false',
      'v1.eyJrIjoiMjAyNi0wMS0wMVQwMDowMDowMC4wMDBaIzAwMDAwMDAwLTAwMDAtNDAwMC04MDAwLTAwMDAwMDAwMDAwMSJ9',
      'v1.e30',
      'v1.@@@',
    ),
    fc.string({ maxLength: 30 }),
  ),
  { maxKeys: 3 },
);

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

const snapshot = async () =>
  JSON.stringify(
    (await table.scanAll()).sort((a, b) => String(a.userId).localeCompare(String(b.userId))),
  );

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
