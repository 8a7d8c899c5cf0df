import { DynamoUserProfileRepository } from '@userprofile/adapters-dynamo';
import {
  checkInvariants,
  createTestTable,
  testClients,
} from '@userprofile/adapters-dynamo/testing';
import type { UserProfile } from '@userprofile/domain';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../testing/test-app';

/**
 * Erasure means erasure: after DELETE, no item of the table (profile, e-mail claim, the record of
 * an idempotent create) holds any of the profile's personal data, whatever path it took.
 */
describe('deleting a profile on DynamoDB Local', () => {
  let app: FastifyInstance;
  let table: Awaited<ReturnType<typeof createTestTable>>;
  let repository: DynamoUserProfileRepository;

  beforeAll(async () => {
    table = await createTestTable();
    repository = new DynamoUserProfileRepository(testClients().documentClient, table);
    ({ app } = await buildTestApp({ repository }));
  });
  afterAll(async () => {
    await app.close();
    await table.drop();
  });

  it('leaves no trace of its e-mails, names, phone or metadata anywhere in the table', async () => {
    const personal: string[] = [];
    // What the table holds before the deletes: the current values, and the created ones that a
    // create's idempotency record keeps.
    const stored = new Set<string>();
    const ids: string[] = [];
    for (let n = 1; n <= 6; n++) {
      const body = {
        email: `erase-${n}@example.com`,
        firstName: `Firstname${n}`,
        lastName: `Lastname${n}`,
        phoneNumber: `+4420790000${10 + n}`,
        metadata: { street: `${n} Secret Lane` },
      };
      personal.push(
        body.email,
        body.firstName,
        body.lastName,
        body.phoneNumber,
        `${n} Secret Lane`,
      );
      // Half with an idempotency key (whose record holds the profile as created), retried once.
      const headers: Record<string, string> = n % 2 === 0 ? { 'idempotency-key': `k-${n}` } : {};
      const res = await app.inject({ method: 'POST', url: '/users', payload: body, headers });
      expect(res.statusCode).toBe(201);
      if (n % 2 === 0) {
        const replay = await app.inject({ method: 'POST', url: '/users', payload: body, headers });
        expect(replay.headers['idempotent-replayed']).toBe('true');
      }
      const { userId } = res.json() as UserProfile;
      ids.push(userId);
      // Some change their e-mail and names first: the old values must go too.
      if (n % 3 === 0) {
        const changed = {
          email: `changed-${n}@example.com`,
          firstName: `Renamed${n}`,
          metadata: { street: null, city: `City${n}` },
        };
        personal.push(changed.email, changed.firstName, changed.metadata.city);
        [changed.email, changed.firstName, changed.metadata.city].forEach((v) => stored.add(v));
        if (n % 2 !== 0) {
          [body.email, body.firstName, `${n} Secret Lane`].forEach((v) => stored.delete(v));
        }
        const patch = await app.inject({
          method: 'PATCH',
          url: `/users/${userId}`,
          payload: JSON.stringify(changed),
          headers: { 'content-type': 'application/merge-patch+json' },
        });
        expect(patch.statusCode).toBe(200);
      }
    }
    const keeper = await app.inject({
      method: 'POST',
      url: '/users',
      payload: { email: 'keeper@example.com', firstName: 'Keeper', lastName: 'Stays' },
      headers: { 'idempotency-key': 'keeper-key' },
    });
    expect(keeper.statusCode).toBe(201);

    const before = JSON.stringify(await table.scanAll());
    expect([...stored].filter((value) => !before.includes(value))).toEqual([]);

    for (const userId of ids) {
      const res = await app.inject({ method: 'DELETE', url: `/users/${userId}` });
      expect(res.statusCode).toBe(204);
    }

    const contents = await table.contents();
    const after = JSON.stringify(contents);
    expect(personal.filter((value) => after.includes(value))).toEqual([]);
    // What stays is the other profile, its e-mail claim, the record of its create and, in the
    // search table, its search items (checkInvariants: exactly those its own name and address
    // call for).
    expect(contents.items.map((i) => i.itemType).sort()).toEqual([
      'EMAIL',
      'IDEMPOTENCY',
      'PROFILE',
    ]);
    expect(after).toContain('keeper@example.com');
    expect(await checkInvariants(contents, repository)).toEqual([]);
  });
});
